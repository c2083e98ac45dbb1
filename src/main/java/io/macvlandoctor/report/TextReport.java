package io.macvlandoctor.report;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The report for people: each exchange as a path across the points, then a line per check. */
public final class TextReport {
    private TextReport() {
    }

    public static void write(Report r, PrintWriter out) {
        writeTopology(r.facts(), out);
        // With --setup the story reads like the article: the isolation, the fix, the verified path.
        for (int i = 0; i < r.phases().size(); i++) {
            writePhase(r.phases().get(i), out);
            if (i == 0 && !r.setup().isEmpty()) {
                out.println();
                out.println("== the fix");
                r.setup().forEach(l -> out.println("  " + l));
            }
        }
        writeChecks(r.checks(), out);
        if (!r.systemFacts().isEmpty()) {
            out.println();
            out.println("facts:");
            r.systemFacts().forEach(l -> out.println("  " + l));
        }
        writeDiagnosis(r.diagnosis(), out);
        out.println();
        out.println("verdict: " + (r.passed() ? "PASS" : "FAIL") + " (" + r.count(CheckStatus.PASS) + " passed, "
                + r.count(CheckStatus.FAIL) + " failed, " + r.count(CheckStatus.SKIP) + " skipped)");
        out.flush();
    }

    /** Many containers: a line each, then the full report of those that failed. */
    public static void writeMany(List<Report> reports, PrintWriter out) {
        long failed = reports.stream().filter(r -> !r.passed()).count();
        for (Report r : reports) {
            if (!r.passed()) {
                write(r, out);
                out.println();
            }
        }
        out.println("containers:");
        for (Report r : reports) {
            String failing = String.join(", ", r.checks().stream().filter(c -> c.status() == CheckStatus.FAIL)
                    .map(CheckResult::id).toList());
            String causes = String.join(", ", r.diagnosis().stream().map(Diagnosis::cause).toList());
            out.println(String.format(Locale.ROOT, "  %-4s  %-15s %-17s %s%s", r.passed() ? "PASS" : "FAIL",
                    r.facts().container().ipText(), r.facts().container().macText(), failing,
                    causes.isEmpty() ? "" : "  (causes: " + causes + ")"));
        }
        out.println();
        out.println("verdict: " + (failed == 0 ? "PASS" : "FAIL") + " (" + reports.size() + " containers, "
                + (reports.size() - failed) + " passed, " + failed + " failed)");
        out.flush();
    }

    public static void writeTopology(PathFacts f, PrintWriter out) {
        if (f == null) {
            out.println("(no path to probe)");
            return;
        }
        out.println("parent     " + endpoint(f.parent()));
        out.println("shim       " + (f.shim() == null ? "(none)" : endpoint(f.shim())));
        out.println("container  " + endpoint(f.container()));
    }

    private static String endpoint(Endpoint e) {
        return String.format(Locale.ROOT, "%-15s %s  %s%s%s", e.name(), e.macText(), e.ip() == 0 ? "(no address)"
                : e.ipText(), e.mode() == null ? "" : "  macvlan " + e.mode(), e.up() ? "" : "  DOWN");
    }

    public static void writePhase(Phase p, PrintWriter out) {
        out.println();
        out.println("== " + p.title());
        for (Phase.Labelled l : p.exchanges()) {
            writeExchange(l.label(), l.exchange(), out);
        }
        long frames = p.stats().stream().mapToLong(s -> s.captured()).sum();
        out.println(String.format(Locale.ROOT, "  capture: %d points, %d frames, %d dropped by the kernel",
                p.stats().stream().map(s -> s.point()).distinct().count(), frames, p.dropped()));
    }

    public static void writeExchange(String label, Exchange e, PrintWriter out) {
        out.println("  " + label + (e == null ? ": nothing seen" : ": " + e.describe()
                + (e.replies().isEmpty() ? ", no reply" : "")));
        if (e == null) {
            return;
        }
        List<Frame> all = new ArrayList<>(e.requests());
        all.addAll(e.replies());
        all.sort(Comparator.comparingLong(Frame::timeNs));
        long t0 = all.get(0).timeNs();
        for (Frame f : all) {
            out.println("    " + FrameText.line(f, t0));
        }
    }

    public static void writeChecks(List<CheckResult> checks, PrintWriter out) {
        out.println();
        out.println("checks:");
        for (CheckResult c : checks) {
            out.println(String.format(Locale.ROOT, "  %-4s  %-34s %s", c.status().name(), c.id(), c.summary()));
        }
    }

    public static void writeDiagnosis(List<Diagnosis> diagnosis, PrintWriter out) {
        if (diagnosis.isEmpty()) {
            return;
        }
        out.println();
        out.println("diagnosis:");
        for (Diagnosis d : diagnosis) {
            out.println("  " + d.cause() + ": " + d.summary());
            for (String fact : d.facts()) {
                out.println("      fact: " + fact);
            }
            for (Frame f : d.frames()) {
                out.println("      frame: " + f.point().name() + " " + f.direction().word() + "  " + f.summary());
            }
            for (String fix : d.fix()) {
                out.println("      fix:  " + fix);
            }
        }
    }
}
