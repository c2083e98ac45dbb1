package io.macvlandoctor.report;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Verdict;
import java.io.PrintWriter;
import java.util.List;

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub actions): one testsuite per report, one testcase per
 * check id; a failure's message is the check's reason, a skipped or unproven check says why. A run that did not
 * fail a check but is not a pass either (inconclusive, or a Docker-level cause with nothing to probe) carries a
 * failing testcase "verdict", so that CI goes red.
 */
public final class JunitReport {
    private JunitReport() {
    }

    public static void write(Report r, PrintWriter out) {
        writeMany(List.of(r), false, out);
    }

    /** One testsuite per report; with several, each named after its container. */
    public static void writeMany(List<Report> reports, boolean named, PrintWriter out) {
        long tests = 0;
        long failures = 0;
        long skipped = 0;
        for (Report r : reports) {
            tests += r.checks().size() + (verdictCase(r) ? 1 : 0);
            failures += r.count(CheckStatus.FAIL) + (verdictCase(r) ? 1 : 0);
            skipped += skipped(r);
        }
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuites name=\"macvlan-doctor\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\">");
        for (Report r : reports) {
            suite(r, named, out);
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

    private static void suite(Report r, boolean named, PrintWriter out) {
        boolean v = verdictCase(r);
        long tests = r.checks().size() + (v ? 1 : 0);
        long failures = r.count(CheckStatus.FAIL) + (v ? 1 : 0);
        String container = named && r.label() != null ? " " + r.label() : "";
        out.println("  <testsuite name=\"macvlan-doctor " + esc(r.command() + container) + "\" tests=\"" + tests
                + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped(r) + "\">");
        String cls = "macvlan-doctor" + esc(container.replace(' ', '.'));
        for (CheckResult c : r.checks()) {
            String id = c.id().id();
            String group = id.substring(0, Math.max(0, id.lastIndexOf('.')));
            out.println("    <testcase classname=\"" + cls + "." + esc(group) + "\" name=\"" + esc(id) + "\" time=\"0\">");
            switch (c.status()) {
                case PASS -> out.println("      <system-out>" + esc(c.summary()) + "</system-out>");
                case UNPROVEN -> out.println("      <skipped message=\"" + esc("unproven: " + c.summary()) + "\"/>");
                case NOT_APPLICABLE -> out.println("      <skipped message=\"" + esc("not applicable: " + c.summary())
                        + "\"/>");
                case FAIL -> out.println("      <failure message=\"" + esc(c.summary()) + "\" type=\"check-failed\">"
                        + esc(details(c, r)) + "</failure>");
            }
            out.println("    </testcase>");
        }
        if (v) {
            out.println("    <testcase classname=\"" + cls + "\" name=\"verdict\" time=\"0\">");
            out.println("      <failure message=\"" + esc("verdict " + r.verdict().id() + ": "
                    + String.join("; ", r.reasons())) + "\" type=\"" + r.verdict().id() + "\">"
                    + esc(diagnosis(r)) + "</failure>");
            out.println("    </testcase>");
        }
        out.println("  </testsuite>");
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

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
