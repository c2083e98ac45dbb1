package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Verdict;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        return report(name, null);
    }

    static Report report(String name, String label) {
        Recorded r = Recorded.load(name);
        List<CheckResult> checks = new ArrayList<>();
        List<Phase.Labelled> labelled = new ArrayList<>();
        for (Family f : r.topology().families()) {
            ProbeExchanges p = ProbeExchanges.select(r.topology().of(f), null, Correlator.correlate(r.frames()));
            checks.addAll(PathChecks.evaluate(r.topology(), f, r.coverage(), p, r.outcome(f)));
            labelled.addAll(p.labelled());
        }
        // The points of the recording, each with the frames it holds (the ladders' lanes come from them).
        List<io.macvlandoctor.model.CaptureStats> stats = r.points().stream().map(p -> {
            long n = r.frames().stream().filter(f -> f.point().equals(p)).count();
            return new io.macvlandoctor.model.CaptureStats(p, io.macvlandoctor.model.Direction.UNKNOWN, n, 0, 0, n);
        }).toList();
        Phase phase = new Phase("probes", labelled, stats, r.frames(), r.outcomes(), r.coverage());
        return new Report("verify", r.topology(), List.of(phase), checks, List.of(), List.of(), List.of(), r.kernel(),
                label);
    }

    static String render(Report r, BiConsumer<Report, PrintWriter> renderer) {
        StringWriter w = new StringWriter();
        renderer.accept(r, new PrintWriter(w));
        return w.toString();
    }

    /** A run on host "lab-host" that started at a fixed moment and took 1.5 s. */
    static final JunitReport.Run RUN = new JunitReport.Run("lab-host", java.time.Instant.parse(
            "2026-12-01T10:00:00Z"), java.time.Duration.ofMillis(1500));

    static void junit(Report r, PrintWriter out) {
        JunitReport.write(r, RUN, out);
    }

    static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheContractFieldsAndMatchesTheSchema() {
        Report r = report("no-route");
        String text = render(r, JsonReport::write);
        ReportSchema.assertValid(text);
        Map<String, Object> m = (Map<String, Object>) Json.parse(text);
        assertThat(m.get("schemaVersion")).isEqualTo(2L);
        assertThat(m.get("verdict")).isEqualTo("fail");
        assertThat((List<Object>) m.get("reasons")).isNotEmpty();
        Map<String, Object> topo = (Map<String, Object>) m.get("topology");
        assertThat(((Map<String, Object>) topo.get("parent")).get("name")).isEqualTo("ens33");
        assertThat(((Map<String, Object>) topo.get("shim")).get("mode")).isEqualTo("bridge");
        assertThat(((Map<String, Object>) topo.get("container")).get("ip")).isEqualTo("192.168.136.240");
        List<Object> checks = (List<Object>) m.get("checks");
        assertThat(checks).hasSize(8);
        Map<String, Object> flux = checks.stream().map(o -> (Map<String, Object>) o)
                .filter(c -> c.get("id").equals(CheckId.CONTAINER_ARP_FLUX.id())).findFirst().orElseThrow();
        assertThat(flux.get("status")).isEqualTo("pass");
        assertThat(flux.get("family")).isEqualTo("4");
        Map<String, Object> ev = (Map<String, Object>) ((List<Object>) flux.get("evidence")).get(1);
        assertThat(ev.get("kind")).isEqualTo("arp-reply");
        assertThat(ev.get("point")).isEqualTo("container:eth0");
        assertThat(ev.get("direction")).isEqualTo("ingress");
        Map<String, Object> src = checks.stream().map(o -> (Map<String, Object>) o)
                .filter(c -> c.get("id").equals(CheckId.HOST_SRC_IP.id())).findFirst().orElseThrow();
        assertThat(src.get("status")).isEqualTo("skip");
        assertThat(src.get("unproven")).isEqualTo(true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void dualStackReportsBothFamiliesWithCanonicalAddresses() {
        String text = render(report("dual-stack"), JsonReport::write);
        ReportSchema.assertValid(text);
        Map<String, Object> m = (Map<String, Object>) Json.parse(text);
        assertThat((List<Object>) m.get("checks")).hasSize(16);
        Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) m.get("topology")).get("container");
        assertThat(c.get("ipv6")).isEqualTo("fd00:136::240");
        assertThat(text).contains("\"ipv6.container-to-host.ndp-proxy\"").contains("\"icmp6-echo-request\"")
                .contains("\"ndp-advert\"");
    }

    @Test
    void junitXmlParsesWithOneTestcasePerCheck() throws Exception {
        Report r = report("arp-ignore");
        Document d = xml(render(r, ReportRenderersTest::junit));
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("8");
        assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(r.count(CheckStatus.FAIL)));
        NodeList cases = d.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(8);
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            CheckResult check = r.checks().get(i);
            assertThat(c.getAttribute("name")).isEqualTo(check.id().id());
            NodeList failures = c.getElementsByTagName("failure");
            assertThat(failures.getLength()).isEqualTo(check.status() == CheckStatus.FAIL ? 1 : 0);
            if (failures.getLength() == 1) {
                assertThat(((Element) failures.item(0)).getAttribute("message")).isEqualTo(check.summary());
            }
        }
    }

    /** CI must go red for a run that proved nothing wrong but could not prove the path either. */
    @Test
    void anInconclusiveRunCarriesAFailingVerdictTestcase() throws Exception {
        Report healthy = report("healthy");
        List<CheckResult> checks = new ArrayList<>(healthy.checks());
        checks.set(0, CheckResult.unproven(checks.get(0).id(), "no frame of the exchange was captured"));
        Report r = new Report("verify", healthy.topology(), healthy.phases(), checks, List.of(), List.of(), List.of(),
                null, null);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        Document d = xml(render(r, ReportRenderersTest::junit));
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(9);
        assertThat(d.getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(((Element) d.getElementsByTagName("skipped").item(0)).getAttribute("message"))
                .startsWith("unproven: ");
        Element verdict = (Element) d.getElementsByTagName("testcase").item(8);
        assertThat(verdict.getAttribute("name")).isEqualTo("verdict");
        assertThat(((Element) verdict.getElementsByTagName("failure").item(0)).getAttribute("type"))
                .isEqualTo("inconclusive");
        String text = render(r, TextReport::write);
        assertThat(text).contains("SKIP  host-to-container.icmp").contains("verdict: INCONCLUSIVE (7 passed, 0 "
                + "failed, 1 unproven)").contains("host-to-container.icmp unproven: no frame");
    }

    @Test
    void aDockerLevelCauseWithNothingToProbeFailsInJunit() throws Exception {
        Report r = Report.unprobed("verify", new Diagnosis(Cause.NOT_MACVLAN, null, "container 'web' is not on a "
                + "macvlan network", List.of("networks of web: bridge (bridge)"), List.of(), List.of(),
                List.of("connect it to a macvlan network")));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        Document d = xml(render(r, ReportRenderersTest::junit));
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(((Element) d.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .contains("not-macvlan");
        ReportSchema.assertValid(render(r, JsonReport::write));
    }

    @Test
    @SuppressWarnings("unchecked")
    void manyContainersKeepTheVerdictAndSummariseTheCounts() {
        List<Report> many = List.of(report("healthy", "ctr"), report("no-route", "ctr2"));
        StringWriter w = new StringWriter();
        JsonReport.writeMany(many, new PrintWriter(w));
        ReportSchema.assertValid(w.toString());
        Map<String, Object> m = (Map<String, Object>) Json.parse(w.toString());
        assertThat(m.get("verdict")).isEqualTo("fail");
        Map<String, Object> summary = (Map<String, Object>) m.get("summary");
        assertThat(summary.get("containers")).isEqualTo(2L);
        assertThat(((Map<String, Object>) summary.get("verdicts")).get("pass")).isEqualTo(1L);
        assertThat(((Map<String, Object>) summary.get("verdicts")).get("fail")).isEqualTo(1L);
        assertThat(((Map<String, Object>) ((List<Object>) m.get("containers")).get(1)).get("container"))
                .isEqualTo("ctr2");
    }

    @Test
    void textShowsThePathALinePerCheckAndTheVerdict() {
        String text = render(report("healthy"), TextReport::write);
        assertThat(text).contains("host -> container: ICMP echo 192.168.136.130 -> 192.168.136.240")
                .containsPattern("host:ens33 +host:macvlan0-host +container:eth0").contains("*----- echo request ------->")
                .contains("PASS  container-to-host.arp-flux")
                .contains("verdict: PASS (8 passed, 0 failed, 0 unproven)")
                .doesNotContain("\u001b[");
        StringWriter w = new StringWriter();
        TextReport.write(report("healthy"), new PrintWriter(w), Style.COLOUR);
        assertThat(w.toString()).contains("\u001b[32mPASS\u001b[0m  container-to-host.arp-flux")
                .contains("verdict: \u001b[32mPASS\u001b[0m");
    }

    @Test
    void theRecordedFactsRoundTrip() {
        Recorded r = Recorded.load("dual-stack");
        List<String> comments = FactsJson.encodeComments(new FactsJson.Recorded(r.topology(), r.outcomes(),
                r.coverage(), r.kernel()));
        FactsJson.Recorded back = FactsJson.decodeComments(comments);
        assertThat(back.topology()).isEqualTo(r.topology());
        assertThat(back.coverage()).isEqualTo(r.coverage());
        assertThat(back.kernel()).isEqualTo(r.kernel());
        assertThat(back.outcomes().get(Family.V6)).isEqualTo(r.outcome(Family.V6));
        assertThat(r.outcome(Family.V6)).isNotEqualTo(ProbeOutcome.UNKNOWN);
    }

    @Test
    void xmlEscaping() {
        assertThat(Markup.esc("<a href=\"x\">&'")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    }
}
