package io.macvlandoctor.report;

import io.macvlandoctor.Version;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.Verdict;
import java.io.PrintWriter;
import java.util.List;

/**
 * The report as one self-contained HTML file, for a ticket or a CI artifact: no script, no font, nothing fetched.
 * For each container the topology, the verdict, every probe's ladder as inline SVG (LadderSvg), the checks with
 * their evidence, the diagnosis with its fix commands, the notes, the kernel's decisions and facts; several
 * containers get a summary table first. Rendered from the report model alone, like the JSON (nothing recomputed);
 * every string from a host is escaped. Well-formed XML throughout, so that tests can parse it. Light and dark
 * colour schemes follow the reader's; printed, it is black on white.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static void write(List<Report> reports, PrintWriter out) {
        Verdict all = reports.stream().map(Report::verdict).reduce(Verdict.PASS, Verdict::worst);
        String command = reports.get(0).command();
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
        out.println("<title>" + e("macvlan-doctor " + command + ": " + all.name()) + "</title>");
        out.println("<style>" + CSS + "</style></head><body>");
        out.println("<header><h1>macvlan-doctor " + e(command) + "</h1><p class=\"verdict " + all.id() + "\">"
                + all.name() + "</p><p class=\"meta\">" + e(Version.version()) + "</p></header>");
        if (reports.size() > 1) {
            summary(reports, out);
        }
        for (int i = 0; i < reports.size(); i++) {
            report(reports.get(i), i, reports.size() > 1, out);
        }
        out.println("</body></html>");
        out.flush();
    }

    private static void summary(List<Report> reports, PrintWriter out) {
        out.println("<section id=\"summary\"><h2>" + reports.size() + " containers</h2><table class=\"summary\">"
                + "<thead><tr><th>container</th><th>verdict</th><th>addresses</th><th>checks not passed</th>"
                + "<th>causes</th></tr></thead><tbody>");
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            Topology t = r.topology();
            String addresses = t == null ? "" : String.join(" ", t.addressing().stream()
                    .map(a -> a.container().toString()).toList());
            String open = String.join(" ", r.checks().stream().filter(c -> c.status() != CheckStatus.PASS)
                    .map(c -> c.id().id()).toList());
            String causes = String.join(" ", r.diagnosis().stream().map(d -> d.cause().code()).toList());
            out.println("<tr><td><a href=\"#r" + i + "\">" + e(name(r)) + "</a></td><td class=\"verdict "
                    + r.verdict().id() + "\">" + r.verdict().name() + "</td><td>" + e(addresses) + "</td><td>" + e(open)
                    + "</td><td>" + e(causes) + "</td></tr>");
        }
        out.println("</tbody></table></section>");
    }

    private static String name(Report r) {
        return r.label() != null ? r.label() : r.topology() == null ? "container"
                : r.topology().container().name();
    }

    private static void report(Report r, int i, boolean many, PrintWriter out) {
        out.println("<section class=\"report\" id=\"r" + i + "\">");
        if (many) {
            out.println("<h2>" + e(name(r)) + "</h2>");
        }
        out.println("<p class=\"verdict " + r.verdict().id() + "\">" + r.verdict().name() + " ("
                + e(TextReport.counts(r)) + ")</p>");
        if (r.verdict() != Verdict.PASS) {
            list("reasons", r.reasons(), out);
        }
        if (r.topology() != null) {
            topology(r.topology(), out);
        }
        for (int p = 0; p < r.phases().size(); p++) {
            phase(r.phases().get(p), r, out);
            if (p == 0 && !r.setup().isEmpty()) {
                out.println("<h3>The fix</h3><pre class=\"commands\"><code>" + e(String.join("\n", r.setup()))
                        + "</code></pre>");
            }
        }
        if (!r.checks().isEmpty()) {
            checks(r.checks(), out);
        }
        if (!r.diagnosis().isEmpty()) {
            out.println("<h3>Diagnosis</h3>");
            r.diagnosis().forEach(d -> diagnosis(d, out));
        }
        if (!r.notes().isEmpty()) {
            out.println("<h3>Notes</h3>");
            list("notes", r.notes(), out);
        }
        if (r.kernel() != null) {
            out.println("<h3>The kernel's facts</h3><pre class=\"facts\">" + e(String.join("\n",
                    FactLines.of(r.kernel()))) + "</pre>");
        }
        out.println("</section>");
    }

    private static void topology(Topology t, PrintWriter out) {
        out.println("<h3>Topology</h3><table class=\"topology\"><thead><tr><th>role</th><th>interface</th>"
                + "<th>MAC</th><th>addresses</th><th>mode</th><th>state</th></tr></thead><tbody>");
        endpoint("parent", t.parent(), out);
        if (t.shim() != null) {
            endpoint("shim", t.shim(), out);
        } else {
            out.println("<tr><td>shim</td><td colspan=\"5\">(none)</td></tr>");
        }
        endpoint("container", t.container(), out);
        out.println("</tbody></table>");
    }

    private static void endpoint(String role, Endpoint p, PrintWriter out) {
        String ips = (p.ip() == null ? "" : p.ip().toString()) + (p.ipv6() == null ? "" : " " + p.ipv6());
        out.println("<tr><td>" + role + "</td><td class=\"name\">" + e(p.name()) + "</td><td>" + e(p.macText())
                + "</td><td>" + e(ips.strip()) + "</td><td>" + e(p.mode() == null ? "" : "macvlan " + p.mode())
                + "</td><td>" + (p.up() ? "up" : "<span class=\"bad\">down</span>") + "</td></tr>");
    }

    private static void phase(Phase p, Report r, PrintWriter out) {
        out.println("<h3>" + e(p.title()) + "</h3>");
        List<CapturePoint> points = p.stats().stream().map(CaptureStats::point).distinct().toList();
        for (Phase.Labelled l : p.exchanges()) {
            out.println("<figure class=\"exchange\"><figcaption>" + e(l.label()) + ": " + (l.exchange() == null
                    ? "nothing seen" : e(l.exchange().describe() + (l.exchange().replies().isEmpty() ? ", no reply"
                    : ""))) + "</figcaption>");
            if (l.exchange() != null) {
                out.println(LadderSvg.svg(Ladder.of(l.exchange(), points, r.topology(), r.checks())));
            }
            out.println("</figure>");
        }
        long frames = p.stats().stream().mapToLong(CaptureStats::captured).sum();
        out.println("<p class=\"capture\">capture: " + points.size() + " points, " + frames + " frames, "
                + p.dropped() + " dropped by the kernel</p>");
        if (!p.kernel().isEmpty()) {
            out.println("<details><summary>The kernel's decisions (" + p.kernel().size() + ")</summary>");
            list("kernel", p.kernel().stream().map(KernelEvent::describe).toList(), out);
            out.println("</details>");
        }
    }

    private static void checks(List<CheckResult> checks, PrintWriter out) {
        out.println("<h3>Checks</h3><table class=\"checks\"><thead><tr><th>status</th><th>check</th><th>what the "
                + "frames show</th></tr></thead><tbody>");
        for (CheckResult c : checks) {
            out.println("<tr class=\"" + c.status().id() + "\"><td>"
                    + c.status().word() + "</td><td><code>" + e(c.id().id()) + "</code></td><td>" + e(c.summary())
                    + evidence(c.evidence()) + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    private static String evidence(List<Frame> frames) {
        if (frames.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<ul class=\"evidence\">");
        for (Frame f : frames) {
            b.append("<li>").append(e(f.point().name() + " " + f.direction().word() + "  " + f.summary()))
                    .append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private static void diagnosis(Diagnosis d, PrintWriter out) {
        out.println("<div class=\"cause\"><h4><code>" + e(d.cause().code()) + "</code>"
                + (d.family() == null ? "" : " (" + e(d.family().label()) + ")") + "</h4><p>" + e(d.summary())
                + "</p>");
        list("facts", d.facts(), out);
        list("frames", d.frames().stream().map(f -> f.point().name() + " " + f.direction().word() + "  "
                + f.summary()).toList(), out);
        list("kernel", d.kernel().stream().map(KernelEvent::describe).toList(), out);
        if (!d.fix().isEmpty()) {
            out.println("<p>The fix, as a root shell on the host runs it:</p><pre class=\"commands\"><code>"
                    + e(String.join("\n", d.fixCommands())) + "</code></pre>");
        }
        list("notes", d.notes(), out);
        out.println("</div>");
    }

    private static void list(String cls, List<String> items, PrintWriter out) {
        if (items.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("<ul class=\"" + cls + "\">");
        items.forEach(x -> b.append("<li>").append(e(x)).append("</li>"));
        out.println(b.append("</ul>"));
    }

    private static String e(String s) {
        return Markup.esc(s);
    }

    private static final String CSS = String.join("", ":root{color-scheme:light dark;--fg:#1d2228;--bg:#fff;"
            + "--mute:#5c6773;--line:#c7ced6;--pass:#1a7f37;--fail:#cf222e;--skip:#9a6700;--ev:#0550ae}",
            "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--mute:#8b949e;--line:#30363d;",
            "--pass:#3fb950;--fail:#f85149;--skip:#d29922;--ev:#79c0ff}}",
            "body{font:15px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2em auto;",
            "max-width:1200px;padding:0 1em}",
            "h1{font-size:1.5em;margin:0}h2{border-bottom:1px solid var(--line);padding-bottom:.2em}",
            "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid var(--line);padding:.25em .6em;",
            "text-align:left;vertical-align:top}code,pre,.name{font-family:ui-monospace,monospace}",
            "pre{background:rgba(127,127,127,.12);padding:.6em;overflow-x:auto;user-select:all}",
            ".verdict{font-weight:700}.pass{color:var(--pass)}.fail,.bad{color:var(--fail)}",
            ".inconclusive,.skip{color:var(--skip)}.meta,.capture{color:var(--mute)}",
            "tr.pass td:first-child{color:var(--pass)}tr.fail td:first-child{color:var(--fail)}",
            "tr.skip td:first-child{color:var(--skip)}",
            "ul.evidence{margin:.2em 0;padding-left:1.2em;font-family:ui-monospace,monospace;font-size:.9em}",
            "figure{margin:1em 0;overflow-x:auto}figcaption{font-weight:600;margin-bottom:.3em}",
            ".ladder{font:12px ui-monospace,monospace}.ladder text{fill:var(--fg)}",
            ".ladder .lane line{stroke:var(--line);stroke-width:2}.ladder .lane.virtual line{stroke-dasharray:4 4}",
            ".ladder .arrow line{stroke:var(--mute);stroke-width:1.5}.ladder .arrow polygon,",
            ".ladder .arrow circle{fill:var(--mute)}.ladder .time{fill:var(--mute)}",
            ".ladder .evidence line{stroke:var(--ev);stroke-width:2.5}.ladder .evidence polygon,",
            ".ladder .evidence circle{fill:var(--ev)}.ladder .failed line{stroke:var(--fail);stroke-width:2.5}",
            ".ladder .failed polygon,.ladder .failed circle,.ladder .stop text{fill:var(--fail)}",
            ".ladder .stop text:first-child{font-size:20px}",
            ".cause{border-left:4px solid var(--fail);padding:.1em 1em;margin:1em 0}",
            "@media print{:root{--fg:#000;--bg:#fff}body{margin:0;max-width:none}figure,table,.cause",
            "{break-inside:avoid}}");
}
