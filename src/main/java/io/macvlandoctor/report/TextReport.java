package io.macvlandoctor.report;

import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report for people: each exchange as a path across the points, then a line per check, then the verdict. */
public final class TextReport {
    private TextReport() {
    }

    public static void write(Report r, PrintWriter out) {
        write(r, out, Style.PLAIN);
    }

    public static void write(Report r, PrintWriter out, Style s) {
        writeTopology(r.topology(), out);
        // With --setup the story reads like the article: the isolation, the fix, the verified path.
        for (int i = 0; i < r.phases().size(); i++) {
            writePhase(r.phases().get(i), r, out, s);
            if (i == 0 && !r.setup().isEmpty()) {
                out.println();
                out.println("== the fix");
                r.setup().forEach(l -> out.println("  " + l));
            }
        }
        if (r.kernel() != null) {
            writeKernel(r, out);
        }
        if (!r.checks().isEmpty()) {
            writeChecks(r.checks(), out, s);
        }
        if (!r.notes().isEmpty()) {
            out.println();
            out.println("notes:");
            r.notes().forEach(l -> out.println("  " + l));
        }
        if (r.kernel() != null) {
            out.println();
            out.println("facts:");
            FactLines.of(r.kernel()).forEach(l -> out.println("  " + l));
        }
        writeDiagnosis(r.diagnosis(), out);
        out.println();
        writeVerdict(r, out, s);
        out.flush();
    }

    /** The kernel's decisions while the probes ran, when the run gathered facts (a failure, or diagnose). */
    private static void writeKernel(Report r, PrintWriter out) {
        for (Phase p : r.phases()) {
            if (p.kernel().isEmpty()) {
                continue;
            }
            out.println();
            out.println("== the kernel's decisions" + (r.phases().size() > 1 ? " (" + p.title() + ")" : ""));
            p.kernel().forEach(k -> out.println("  kernel: " + k.describe()));
        }
    }

    /** The verdict line, and for anything but a pass the reasons, one per line. */
    public static void writeVerdict(Report r, PrintWriter out, Style s) {
        Verdict v = r.verdict();
        out.println("verdict: " + s.verdict(v) + " (" + counts(r) + ")");
        if (v != Verdict.PASS) {
            r.reasons().forEach(l -> out.println("  " + l));
        }
        out.flush();
    }

    static String counts(Report r) {
        if (r.checks().isEmpty()) {
            return "nothing probed";
        }
        String s = r.count(CheckStatus.PASS) + " passed, " + r.count(CheckStatus.FAIL) + " failed, "
                + r.count(CheckStatus.UNPROVEN) + " unproven";
        long na = r.count(CheckStatus.NOT_APPLICABLE);
        return na == 0 ? s : s + ", " + na + " not applicable";
    }

    /** Many containers: a line each, then the full report of those that did not pass. */
    public static void writeMany(List<Report> reports, PrintWriter out, Style s) {
        for (Report r : reports) {
            if (r.verdict() != Verdict.PASS) {
                out.println("=== " + name(r));
                write(r, out, s);
                out.println();
            }
        }
        out.println("containers:");
        Verdict all = Verdict.PASS;
        Map<Verdict, Integer> count = new EnumMap<>(Verdict.class);
        for (Report r : reports) {
            all = all.worst(r.verdict());
            count.merge(r.verdict(), 1, Integer::sum);
            String failing = String.join(", ", r.checks().stream().filter(c -> c.status() == CheckStatus.FAIL
                    || c.status() == CheckStatus.UNPROVEN).map(c -> c.id().id()).toList());
            String causes = String.join(", ", r.diagnosis().stream().map(d -> d.cause().code()).toList());
            Topology t = r.topology();
            out.println(String.format(Locale.ROOT, "  %-12s  %-8s %-17s %-17s %s%s", s.verdict(r.verdict()),
                    r.label() == null ? "" : r.label(), t == null ? "" : addresses(t), t == null ? ""
                            : t.container().macText(), failing, causes.isEmpty() ? "" : "  (causes: " + causes + ")"));
        }
        out.println();
        out.println("verdict: " + s.verdict(all) + " (" + reports.size() + " containers: "
                + count.getOrDefault(Verdict.PASS, 0) + " passed, " + count.getOrDefault(Verdict.FAIL, 0) + " failed, "
                + count.getOrDefault(Verdict.INCONCLUSIVE, 0) + " inconclusive)");
        out.flush();
    }

    private static String name(Report r) {
        return (r.label() == null ? "container" : r.label()) + (r.topology() == null ? ""
                : " " + addresses(r.topology()));
    }

    private static String addresses(Topology t) {
        return String.join(" ", t.containerAddresses().stream().map(Object::toString).toList());
    }

    public static void writeTopology(Topology t, PrintWriter out) {
        if (t == null) {
            out.println("(no path to probe)");
            return;
        }
        out.println("parent     " + endpoint(t.parent()));
        out.println("shim       " + (t.shim() == null ? "(none)" : endpoint(t.shim())));
        out.println("container  " + endpoint(t.container()));
    }

    private static String endpoint(Endpoint e) {
        String ips = (e.ip() == null ? "" : e.ip().toString()) + (e.ipv6() == null ? "" : (e.ip() == null ? "" : " ")
                + e.ipv6());
        return String.format(Locale.ROOT, "%-15s %s  %s%s%s", e.name(), e.macText(), ips.isEmpty() ? "(no address)"
                : ips, e.mode() == null ? "" : "  macvlan " + e.mode(), e.up() ? "" : "  DOWN");
    }

    public static void writePhase(Phase p, Report r, PrintWriter out, Style s) {
        out.println();
        out.println("== " + p.title());
        List<CapturePoint> points = p.stats().stream().map(CaptureStats::point).distinct().toList();
        for (Phase.Labelled l : p.exchanges()) {
            writeExchange(l.label(), l.exchange(), points, r.topology(), r.checks(), out, s);
        }
        long frames = p.stats().stream().mapToLong(x -> x.captured()).sum();
        List<String> lost = p.stats().stream().filter(x -> x.lost()).map(x -> x.point().name()).distinct().toList();
        out.println(String.format(Locale.ROOT, "  capture: %d points, %d frames, %d dropped by the kernel%s",
                points.size(), frames, p.dropped(), lost.isEmpty() ? "" : "; lost during the run: "
                        + String.join(", ", lost)));
    }

    /**
     * One exchange: what it was, then its ladder across the points (those of the run; a point where a frame of it
     * was seen is always one).
     */
    public static void writeExchange(String label, Exchange e, List<CapturePoint> points, Topology topo,
                                     List<CheckResult> checks, PrintWriter out, Style s) {
        out.println("  " + label + (e == null ? ": nothing seen" : ": " + e.describe()
                + (e.replies().isEmpty() ? ", no reply" : "")));
        if (e == null) {
            return;
        }
        LadderText.lines(Ladder.of(e, points, topo, checks), s).forEach(l -> out.println("    " + l));
    }

    public static void writeChecks(List<CheckResult> checks, PrintWriter out, Style s) {
        out.println();
        out.println("checks:");
        for (CheckResult c : checks) {
            out.println(checkLine(c, s));
        }
    }

    public static String checkLine(CheckResult c, Style s) {
        return String.format(Locale.ROOT, "  %s  %-39s %s", s.status(c.status()), c.id().id(), c.summary());
    }

    public static void writeDiagnosis(List<Diagnosis> diagnosis, PrintWriter out) {
        if (diagnosis.isEmpty()) {
            return;
        }
        out.println();
        out.println("diagnosis:");
        for (Diagnosis d : diagnosis) {
            out.println("  " + d.cause().code() + (d.family() == null ? "" : " (" + d.family().label() + ")") + ": "
                    + d.summary());
            for (String fact : d.facts()) {
                out.println("      fact: " + fact);
            }
            for (Frame f : d.frames()) {
                out.println("      frame: " + f.point().name() + " " + f.direction().word() + "  " + f.summary());
            }
            for (var k : d.kernel()) {
                out.println("      kernel: " + k.describe());
            }
            for (String fix : d.fixCommands()) {
                out.println("      fix:  " + fix);
            }
            for (String note : d.notes()) {
                out.println("      note: " + note);
            }
        }
    }
}
