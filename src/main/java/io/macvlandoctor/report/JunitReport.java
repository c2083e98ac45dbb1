package io.macvlandoctor.report;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Report;
import java.io.PrintWriter;
import java.util.List;

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub actions): one testsuite, one testcase per check id,
 * a failure's message is the check's reason, a skip says why.
 */
public final class JunitReport {
    private JunitReport() {
    }

    public static void write(Report r, PrintWriter out) {
        writeMany(List.of(r), false, out);
    }

    /** One testsuite per report; with several, each named after its container. */
    public static void writeMany(List<Report> reports, boolean named, PrintWriter out) {
        long tests = reports.stream().mapToLong(r -> r.checks().size()).sum();
        long failures = reports.stream().mapToLong(r -> r.count(CheckStatus.FAIL)).sum();
        long skipped = reports.stream().mapToLong(r -> r.count(CheckStatus.SKIP)).sum();
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuites name=\"macvlan-doctor\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\">");
        for (Report r : reports) {
            suite(r, named, out);
        }
        out.println("</testsuites>");
        out.flush();
    }

    private static void suite(Report r, boolean named, PrintWriter out) {
        long tests = r.checks().size();
        long failures = r.count(CheckStatus.FAIL);
        long skipped = r.count(CheckStatus.SKIP);
        String container = named && r.facts() != null ? " " + r.facts().container().ipText() : "";
        out.println("  <testsuite name=\"macvlan-doctor " + esc(r.command() + container) + "\" tests=\"" + tests
                + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped + "\">");
        for (CheckResult c : r.checks()) {
            String group = c.id().substring(0, Math.max(0, c.id().indexOf('.')));
            out.print("    <testcase classname=\"macvlan-doctor" + esc(container.replace(' ', '.')) + "." + esc(group)
                    + "\" name=\"" + esc(c.id())
                    + "\" time=\"0\"");
            if (c.status() == CheckStatus.PASS) {
                out.println(">");
                out.println("      <system-out>" + esc(c.summary()) + "</system-out>");
            } else if (c.status() == CheckStatus.SKIP) {
                out.println(">");
                out.println("      <skipped message=\"" + esc(c.summary()) + "\"/>");
            } else {
                out.println(">");
                out.println("      <failure message=\"" + esc(c.summary()) + "\" type=\"check-failed\">"
                        + esc(details(c, r)) + "</failure>");
            }
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
        for (Diagnosis d : r.diagnosis()) {
            sb.append(d.cause()).append(": ").append(d.summary()).append('\n');
            d.fix().forEach(x -> sb.append("  fix: ").append(x).append('\n'));
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
