package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportRenderersTest {
    static Report report(String name) {
        Recorded r = Recorded.load(name);
        ProbeExchanges p = ProbeExchanges.select(r.facts(), null, Correlator.correlate(r.frames()));
        List<CheckResult> checks = PathChecks.evaluate(r.facts(), p, r.outcome());
        Phase phase = new Phase("probes", List.of(new Phase.Labelled("host -> container", p.hostEcho())), List.of(),
                r.frames(), r.outcome());
        return new Report("verify", r.facts(), List.of(phase), checks, List.of(), List.of(), List.of(), null);
    }

    static String render(Report r, BiConsumer<Report, PrintWriter> renderer) {
        StringWriter w = new StringWriter();
        renderer.accept(r, new PrintWriter(w));
        return w.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheContractFields() {
        Report r = report("no-route");
        Map<String, Object> m = (Map<String, Object>) Json.parse(render(r, JsonReport::write));
        assertThat(m.get("schemaVersion")).isEqualTo(1L);
        assertThat(m.get("verdict")).isEqualTo("fail");
        Map<String, Object> topo = (Map<String, Object>) m.get("topology");
        assertThat(((Map<String, Object>) topo.get("parent")).get("name")).isEqualTo("ens33");
        assertThat(((Map<String, Object>) topo.get("shim")).get("mode")).isEqualTo("bridge");
        assertThat(((Map<String, Object>) topo.get("container")).get("ip")).isEqualTo("192.168.136.240");
        List<Object> checks = (List<Object>) m.get("checks");
        assertThat(checks).hasSize(8);
        Map<String, Object> flux = checks.stream().map(o -> (Map<String, Object>) o)
                .filter(c -> c.get("id").equals(PathChecks.CONTAINER_ARP_FLUX)).findFirst().orElseThrow();
        assertThat(flux.get("status")).isEqualTo("pass");
        Map<String, Object> ev = (Map<String, Object>) ((List<Object>) flux.get("evidence")).get(1);
        assertThat(ev.keySet()).contains("point", "direction", "timeNs", "srcMac", "dstMac", "srcIp", "dstIp", "kind");
        assertThat(ev.get("kind")).isEqualTo("arp-reply");
        assertThat(ev.get("point")).isEqualTo("container:eth0");
        assertThat(ev.get("direction")).isEqualTo("ingress");
        assertThat(m.get("diagnosis")).isEqualTo(List.of());
    }

    @Test
    void junitXmlParsesWithOneTestcasePerCheck() throws Exception {
        Report r = report("arp-ignore");
        String xml = render(r, JunitReport::write);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("8");
        assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(r.count(CheckStatus.FAIL)));
        NodeList cases = d.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(8);
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            CheckResult check = r.checks().get(i);
            assertThat(c.getAttribute("name")).isEqualTo(check.id());
            NodeList failures = c.getElementsByTagName("failure");
            assertThat(failures.getLength()).isEqualTo(check.status() == CheckStatus.FAIL ? 1 : 0);
            if (failures.getLength() == 1) {
                assertThat(((Element) failures.item(0)).getAttribute("message")).isEqualTo(check.summary());
            }
        }
    }

    @Test
    void textShowsThePathAndALinePerCheck() {
        String text = render(report("healthy"), TextReport::write);
        assertThat(text).contains("host -> container: ICMP echo 192.168.136.130 -> 192.168.136.240")
                .containsPattern("host:macvlan0-host +egress")
                .contains("PASS  container-to-host.arp-flux")
                .contains("verdict: PASS (8 passed, 0 failed, 0 skipped)");
    }

    @Test
    void xmlEscaping() {
        assertThat(JunitReport.esc("<a href=\"x\">&'")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    }
}
