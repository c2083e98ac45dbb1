package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JUnit reports, validated by xmllint against the two schemas CI systems validate with: the Jenkins xUnit
 * plugin's junit-10.xsd and the strict Ant-style JUnit.xsd (../shared/schemas, read from there, never copied). Every
 * recorded capture's report, a passing and a failing run side by side, ten containers, a Docker-level cause, an
 * inconclusive run, and host-given names that need escaping. Runs whenever the schemas are there; in CI their
 * absence is a failure, not a skip.
 */
class JunitSchemaTest {
    @BeforeAll
    static void schemasAreThere() {
        JunitSchemas.requireSchemas();
    }

    static Stream<String> captures() {
        return Recorded.names().stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void eachRecordedRunIsValidAgainstBothSchemas(String name) throws Exception {
        assertValid(junit(List.of(ReportRenderersTest.report(name)), false));
    }

    @Test
    void manyContainersAPassAndAFailAndTheRestAreValid() throws Exception {
        List<Report> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(ReportRenderersTest.report(i % 3 == 0 ? "no-route" : "healthy", i == 1 ? "ctr" : "ctr" + i));
        }
        assertValid(junit(ten, true));
        Report healthy = ReportRenderersTest.report("healthy");
        List<CheckResult> checks = new ArrayList<>(healthy.checks());
        checks.set(0, CheckResult.unproven(checks.get(0).id(), "no frame of the exchange was captured"));
        Report inconclusive = new Report("verify", healthy.topology(), healthy.phases(), checks, List.of(), List.of(),
                List.of("a note"), null, null);
        Report unprobed = Report.unprobed("verify", new Diagnosis(Cause.NOT_MACVLAN, null, "container 'web' is not "
                + "on a macvlan network", List.of("networks of web: bridge (bridge)"), List.of(), List.of(),
                List.of("connect it to a macvlan network")));
        assertValid(junit(List.of(inconclusive), false));
        assertValid(junit(List.of(unprobed), false));
        assertValid(junit(List.of(healthy, ReportRenderersTest.report("arp-ignore")), false));
    }

    /** A container name as Docker allows it and worse: escaped, and the file stays valid. */
    @Test
    void hostileNamesAreEscaped() throws Exception {
        Report r = ReportRenderersTest.report("no-route", "<script>alert(\"x\")</script>'&");
        String xml = junit(List.of(r), true);
        assertThat(xml).doesNotContain("<script>").contains("&lt;script&gt;");
        assertValid(xml);
    }

    /** The validation can fail: the output of the previous release carried `skipped` on testsuites. */
    @Test
    void theSchemasRejectWhatTheyShould() throws Exception {
        String good = junit(List.of(ReportRenderersTest.report("healthy")), false);
        String bad = good.replace("<testsuites>", "<testsuites name=\"x\" skipped=\"0\">");
        assertThat(xmllint(bad, "junit-10.xsd")).contains("skipped").contains("not allowed");
        assertThat(xmllint(good.replace(" hostname=\"lab-host\"", ""), "JUnit.xsd")).contains("hostname");
    }

    static String junit(List<Report> reports, boolean named) {
        StringWriter w = new StringWriter();
        JunitReport.writeMany(reports, named, ReportRenderersTest.RUN, new PrintWriter(w));
        return w.toString();
    }

    private void assertValid(String xml) throws Exception {
        JunitSchemas.assertValid(xml);
    }

    private String xmllint(String xml, String schema) throws IOException, InterruptedException {
        return JunitSchemas.xmllint(xml, schema);
    }
}
