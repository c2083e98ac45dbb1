package io.macvlandoctor.system;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a trace instance's `trace` file, as the kernel prints its events (the formats of kernel 6.x: see
 * events/EVENT/format), into kernel events: route lookups, neighbour updates, dropped packets. Lines of other events,
 * comments and anything malformed are skipped: a line the kernel printed differently is no evidence. Timestamps are
 * the instance's clock, turned into wall-clock time by adding the offset given (TraceClock).
 */
final class TraceLines {
    /** "  comm-123  [001] ..s1.  2519.630763: event: body" (comm may hold spaces and dashes). */
    private static final Pattern LINE = Pattern.compile("^\\s*(.+?-\\d+)\\s+(?:\\(\\s*[-\\d]+\\)\\s+)?\\[\\d+\\]\\s+"
            + "\\S+\\s+(\\d+)\\.(\\d+):\\s+(\\w+):\\s+(.*)$");
    private static final Pattern FIB = Pattern.compile("table (\\d+) oif (-?\\d+) iif (-?\\d+) proto (\\d+) (\\S+)/\\d+ "
            + "-> (\\S+)/\\d+ .*==> dev (\\S*) gw \\S+ err (-?\\d+)");
    private static final Pattern NEIGH = Pattern.compile("family (\\d+) dev (\\S+) lladdr (\\S*) flags \\S+ nud_state "
            + "(\\S+) .*primary_key4 (\\S+) primary_key6 (\\S+) .*new_lladdr (\\S*) new_state (\\S+)");
    private static final Pattern DROP = Pattern.compile("protocol=(\\d+) location=([^+\\s]+)\\S* (?:\\[\\S+\\] )?reason: "
            + "(\\S+)");

    private TraceLines() {
    }

    static List<KernelEvent> parse(String text, long toWallNs) {
        List<KernelEvent> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            KernelEvent e = parseLine(line, toWallNs);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    static KernelEvent parseLine(String line, long toWallNs) {
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String task = m.group(1).strip();
        String frac = (m.group(3) + "000000000").substring(0, 9);
        long time = Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(frac) + toWallNs;
        String body = m.group(5);
        try {
            return switch (m.group(4)) {
                case "fib_table_lookup", "fib6_table_lookup" -> lookup(time, task, body,
                        m.group(4).startsWith("fib6") ? Family.V6 : Family.V4);
                case "neigh_update" -> neigh(time, task, body);
                case "kfree_skb" -> drop(time, task, body);
                default -> null;
            };
        } catch (RuntimeException e) {
            // An address or number the kernel printed otherwise than expected: not evidence.
            return null;
        }
    }

    private static KernelEvent lookup(long time, String task, String body, Family f) {
        Matcher m = FIB.matcher(body.replaceAll("\\s+", " "));
        if (!m.find()) {
            return null;
        }
        // The gateway fields of this event hold leftovers when the route has no gateway: it is not read.
        return new KernelEvent.Lookup(time, task, f, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), IpAddress.parse(m.group(5)),
                IpAddress.parse(m.group(6)), m.group(7), null, Integer.parseInt(m.group(8)));
    }

    private static KernelEvent neigh(long time, String task, String body) {
        Matcher m = NEIGH.matcher(body);
        if (!m.find()) {
            return null;
        }
        Family f = m.group(1).equals("10") ? Family.V6 : Family.V4;
        IpAddress ip = IpAddress.parse(f == Family.V4 ? m.group(5) : m.group(6));
        return new KernelEvent.Neigh(time, task, f, m.group(2), ip, mac(m.group(3)), state(m.group(4)),
                mac(m.group(7)), state(m.group(8)));
    }

    private static KernelEvent drop(long time, String task, String body) {
        Matcher m = DROP.matcher(body);
        if (!m.find()) {
            return null;
        }
        return new KernelEvent.Drop(time, task, Integer.parseInt(m.group(1)), m.group(2), m.group(3));
    }

    /** "f606e9a5e3b0" -> "f6:06:e9:a5:e3:b0"; all zeros (no address) -> null. */
    static String mac(String hex) {
        if (hex.isEmpty() || hex.chars().allMatch(c -> c == '0')) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < hex.length(); i += 2) {
            b.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** "0x0" (no state) -> "none"; the kernel's names otherwise. */
    private static String state(String s) {
        return s.startsWith("0x") ? "none" : s;
    }
}
