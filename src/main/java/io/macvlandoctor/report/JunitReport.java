package io.macvlandoctor.report;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.Verdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub actions), valid against both schemas CI systems validate
 * with: the Jenkins xUnit plugin's junit-10.xsd and the Ant-style JUnit.xsd. One testsuite per report (with its
 * package, id, timestamp, hostname, time and properties), one testcase per check id; a failure's message is the
 * check's reason, a skipped or unproven check says why; what passed, and the notes, go to the suite's system-out
 * (the strict schema allows nothing in a testcase but its one outcome). `testsuites` carries no attributes: the
 * strict schema allows none, and CI systems add up the suites. A run that did not fail a check but is not a pass
 * either (inconclusive, or a Docker-level cause with nothing to probe) carries a failing testcase "verdict", so that
 * CI goes red.
 */
public final class JunitReport {
    private JunitReport() {
    }

    /** Where and when the run was, which the strict schema requires of every suite. */
    public record Run(String hostname, Instant started, Duration took) {
        public Run {
            hostname = hostname == null || hostname.isBlank() ? "localhost" : hostname.strip();
        }

        /** The ISO 8601 form the strict schema's pattern takes: seconds, no zone (UTC). */
        String timestamp() {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(started);
        }

        /** Seconds with three decimals, as junit-10.xsd's SUREFIRE_TIME takes it. */
        String seconds() {
            return String.format(Locale.ROOT, "%.3f", Math.max(0, took.toMillis()) / 1000.0);
        }
    }

    public static void write(Report r, Run run, PrintWriter out) {
        writeMany(List.of(r), false, run, out);
    }

    /** One testsuite per report; with several, each named after its container. */
    public static void writeMany(List<Report> reports, boolean named, Run run, PrintWriter out) {
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuites>");
        for (int i = 0; i < reports.size(); i++) {
            suite(reports.get(i), i, named, run, out);
        }
        out.println("</testsuites>");
        out.flush();
    }

    /** A failing "verdict" testcase: for runs that are not a pass although no check failed. */
    private static boolean verdictCase(Report r) {
        return r.verdict() != Verdict.PASS && r.count(CheckStatus.FAIL) == 0;
    }

    private static long skipped(Report r) {
        return r.count(CheckStatus.UNPROVEN) + r.count(CheckStatus.NOT_APPLICABLE);
    }

    private static void suite(Report r, int id, boolean named, Run run, PrintWriter out) {
        boolean v = verdictCase(r);
        long tests = r.checks().size() + (v ? 1 : 0);
        long failures = r.count(CheckStatus.FAIL) + (v ? 1 : 0);
        String container = named && r.label() != null ? " " + r.label() : "";
        out.println("  <testsuite name=\"macvlan-doctor " + Markup.esc(r.command() + container) + "\" package=\"macvlan-doctor"
                + "\" id=\"" + id + "\" timestamp=\"" + run.timestamp() + "\" hostname=\"" + Markup.esc(run.hostname())
                + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped(r)
                + "\" time=\"" + run.seconds() + "\">");
        out.println("    <properties>");
        properties(r).forEach((k, val) -> out.println("      <property name=\"" + Markup.esc(k) + "\" value=\"" + Markup.esc(val)
                + "\"/>"));
        out.println("    </properties>");
        String cls = "macvlan-doctor" + Markup.esc(container.replace(' ', '.'));
        StringBuilder passed = new StringBuilder();
        for (CheckResult c : r.checks()) {
            String cid = c.id().id();
            String group = cid.substring(0, Math.max(0, cid.lastIndexOf('.')));
            String open = "    <testcase classname=\"" + cls + "." + Markup.esc(group) + "\" name=\"" + Markup.esc(cid)
                    + "\" time=\"0\"";
            switch (c.status()) {
                case PASS -> {
                    out.println(open + "/>");
                    passed.append("PASS  ").append(cid).append("  ").append(c.summary()).append('\n');
                }
                case UNPROVEN -> out.println(open + ">\n      <skipped message=\"" + Markup.esc("unproven: " + c.summary())
                        + "\"/>\n    </testcase>");
                case NOT_APPLICABLE -> out.println(open + ">\n      <skipped message=\"" + Markup.esc("not applicable: "
                        + c.summary()) + "\"/>\n    </testcase>");
                case FAIL -> out.println(open + ">\n      <failure message=\"" + Markup.esc(c.summary())
                        + "\" type=\"check-failed\">" + Markup.esc(details(c, r)) + "</failure>\n    </testcase>");
            }
        }
        if (v) {
            out.println("    <testcase classname=\"" + cls + "\" name=\"verdict\" time=\"0\">");
            out.println("      <failure message=\"" + Markup.esc("verdict " + r.verdict().id() + ": "
                    + String.join("; ", r.reasons())) + "\" type=\"" + r.verdict().id() + "\">"
                    + Markup.esc(diagnosis(r)) + "</failure>");
            out.println("    </testcase>");
        }
        r.notes().forEach(n -> passed.append("note: ").append(n).append('\n'));
        out.println("    <system-out>" + Markup.esc(passed.toString()) + "</system-out>");
        out.println("    <system-err></system-err>");
        out.println("  </testsuite>");
    }

    /** What a reader of the CI result wants at a glance: the verdict, and the path the run was about. */
    private static Map<String, String> properties(Report r) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("verdict", r.verdict().id());
        p.put("command", r.command());
        if (r.label() != null) {
            p.put("container", r.label());
        }
        Topology t = r.topology();
        if (t != null) {
            p.put("parent", t.parent().name());
            if (t.shim() != null) {
                p.put("shim", t.shim().name());
            }
            p.put("container.interface", t.container().name());
            for (Topology.Addressing a : t.addressing()) {
                p.put("container.ip" + (a.family() == Family.V4 ? "" : "v6"), a.container().toString());
            }
        }
        for (Diagnosis d : r.diagnosis()) {
            p.merge("causes", d.cause().code(), (x, y) -> x + " " + y);
        }
        return p;
    }

    private static String details(CheckResult c, Report r) {
        StringBuilder sb = new StringBuilder(c.summary()).append('\n');
        for (Frame f : c.evidence()) {
            sb.append("  ").append(f.point().name()).append(' ').append(f.direction().word()).append("  ")
                    .append(f.summary()).append('\n');
        }
        return sb.append(diagnosis(r)).toString();
    }

    private static String diagnosis(Report r) {
        StringBuilder sb = new StringBuilder();
        for (Diagnosis d : r.diagnosis()) {
            sb.append(d.cause().code()).append(": ").append(d.summary()).append('\n');
            d.kernel().forEach(x -> sb.append("  kernel: ").append(x.describe()).append('\n'));
            d.fixCommands().forEach(x -> sb.append("  fix: ").append(x).append('\n'));
            d.notes().forEach(x -> sb.append("  note: ").append(x).append('\n'));
        }
        return sb.toString();
    }
}
