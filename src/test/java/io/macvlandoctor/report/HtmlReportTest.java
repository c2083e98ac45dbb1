package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The HTML report of every recorded capture, parsed as the XML it is written as: an SVG per exchange with a lane per
 * point and an arrow per frame, a row per check, the fix commands; nothing it would fetch; whatever a host names is
 * escaped. (The browser's view of it: HtmlChromiumIT.)
 */
class HtmlReportTest {
    static String html(List<Report> reports) {
        StringWriter w = new StringWriter();
        HtmlReport.write(reports, new PrintWriter(w));
        return w.toString();
    }

    static Stream<String> captures() {
        return Recorded.names().stream();
    }

    static List<Element> elements(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList n = d.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            if (cls == null || List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList n = parent.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyExchangeIsALadderOfItsFrames(String name) throws Exception {
        Report r = ReportRenderersTest.report(name);
        String text = html(List.of(r));
        Document d = ReportRenderersTest.xml(text);
        List<Phase.Labelled> shown = r.phases().get(0).exchanges().stream().filter(l -> l.exchange() != null)
                .toList();
        List<Element> svgs = elements(d, "svg", "ladder");
        assertThat(svgs).hasSize(shown.size());
        for (int i = 0; i < svgs.size(); i++) {
            Element svg = svgs.get(i);
            var e = shown.get(i).exchange();
            int frames = e.requests().size() + e.replies().size();
            assertThat(children(svg, "g", "arrow")).as(shown.get(i).label()).hasSize(frames);
            assertThat(svg.getAttribute("data-arrows")).isEqualTo(String.valueOf(frames));
            assertThat(children(svg, "g", "lane")).hasSize(Integer.parseInt(svg.getAttribute("data-lanes")))
                    .hasSizeGreaterThanOrEqualTo(r.phases().get(0).stats().size());
            assertThat(children(svg, "g", "stop")).hasSize(e.replies().isEmpty() ? 1 : 0);
        }
        assertThat(((Element) elements(d, "table", "checks").get(0).getElementsByTagName("tbody").item(0))
                .getElementsByTagName("tr").getLength()).isEqualTo(r.checks().size());
        String verdict = elements(d, "p", "verdict").get(0).getTextContent();
        assertThat(verdict).isEqualTo(r.verdict().name());
        assertSelfContained(text);
    }

    @Test
    void aDiagnosisShowsItsFixAsCommands() throws Exception {
        Recorded rec = Recorded.load("no-route");
        Report plain = ReportRenderersTest.report("no-route");
        var d = new io.macvlandoctor.model.Diagnosis(io.macvlandoctor.model.Cause.NO_ROUTE, null,
                "no route to 192.168.136.240 through macvlan0-host", List.of("a fact"), List.of(), List.of(
                io.macvlandoctor.model.change.Recipes.route(io.macvlandoctor.model.Netns.CURRENT,
                        io.macvlandoctor.model.Cidr.host(rec.topology().container().ip()), "macvlan0-host", null)),
                List.of("a note"));
        Report r = new Report(plain.command(), plain.topology(), plain.phases(), plain.checks(), List.of(d),
                plain.setup(), plain.notes(), plain.kernel(), null);
        Document doc = ReportRenderersTest.xml(html(List.of(r)));
        List<Element> fix = elements(doc, "pre", "commands");
        assertThat(fix).hasSize(1);
        assertThat(fix.get(0).getTextContent()).isEqualTo(String.join("\n", d.fixCommands()))
                .startsWith("ip ");
    }

    @Test
    void tenContainersGetASummaryFirst() throws Exception {
        List<Report> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(ReportRenderersTest.report(i == 4 ? "no-route" : "healthy", "ctr" + i));
        }
        Document d = ReportRenderersTest.xml(html(ten));
        assertThat(elements(d, "section", "report")).hasSize(10);
        Element summary = elements(d, "table", "summary").get(0);
        assertThat(((Element) summary.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr").getLength())
                .isEqualTo(10);
        assertThat(summary.getTextContent()).contains("ctr4").contains("FAIL");
        assertThat(elements(d, "p", "verdict").get(0).getTextContent()).isEqualTo("FAIL");
    }

    /** Names as a host may hold them (15 bytes of UTF-8, quotes, markup), and a container label as Docker has it. */
    @Test
    void whatAHostNamesIsEscaped() throws Exception {
        Report r = ReportRenderersTest.report("healthy", "<script>alert(\"x\")</script>");
        Topology t = r.topology();
        String parent = "ëth\"0'<b>";
        String utf8 = "wlän-übër-ß";
        assertThat(utf8.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(15);
        Endpoint p = t.parent();
        Endpoint c = t.container();
        Topology hostile = new Topology(new Endpoint(parent, p.mac(), p.ip(), p.ipv6(), p.mode(), p.up()), t.shim(),
                new Endpoint(utf8, c.mac(), c.ip(), c.ipv6(), c.mode(), c.up()), t.addressing());
        Report h = new Report(r.command(), hostile, r.phases(), r.checks(), r.diagnosis(), r.setup(),
                List.of("a note with </section> & <img src=x onerror=alert(1)>"), r.kernel(), r.label());
        String text = html(List.of(h, r));
        assertThat(text).doesNotContain("<script>").doesNotContain("<b>").doesNotContain("<img");
        Document d = ReportRenderersTest.xml(text);
        List<String> names = elements(d, "td", "name").stream().map(Element::getTextContent).toList();
        assertThat(names).contains(parent, utf8);
        assertThat(d.getDocumentElement().getTextContent()).contains("<script>alert(\"x\")</script>");
        assertSelfContained(text);
    }

    /** Nothing is fetched: no script, stylesheet, image or font from anywhere. */
    static void assertSelfContained(String html) {
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContainPattern("<[a-z][^>]*\\ssrc=")
                .doesNotContain("url(").doesNotContain("@import").doesNotContain("<iframe");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://")
                .doesNotContain("https://");
    }
}
