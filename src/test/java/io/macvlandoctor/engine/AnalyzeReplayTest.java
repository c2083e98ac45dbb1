package io.macvlandoctor.engine;

import static io.macvlandoctor.cli.InProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.capture.CaptureFilesTest;
import io.macvlandoctor.cli.InProcess;
import io.macvlandoctor.export.PcapngWriter;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.probe.Packets;
import io.macvlandoctor.report.FactsJson;
import io.macvlandoctor.report.ReportSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference captures replayed through `analyze`, in-process and without root; and what frames alone prove. */
class AnalyzeReplayTest {
    @TempDir
    Path dir;

    static List<String> captures() {
        return Recorded.names();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path p) throws Exception {
        String text = Files.readString(p);
        ReportSchema.assertValid(text);
        return (Map<String, Object>) Json.parse(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> statuses(Map<String, Object> report) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Object o : (List<Object>) report.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) o;
            m.put((String) c.get("id"), Boolean.TRUE.equals(c.get("unproven")) ? "unproven" : (String) c.get("status"));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static List<String> causes(Map<String, Object> report) {
        return ((List<Object>) report.get("diagnosis")).stream().map(d -> (String) ((Map<String, Object>) d)
                .get("cause")).toList();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void replayGivesTheVerdictChecksAndCausesOfTheLiveRun(String name) throws Exception {
        Recorded live = Recorded.load(name);
        Path out = dir.resolve("a.json");
        InProcess.Run r = run("analyze", "--capture", "captures/" + name + ".pcapng", "--report-json", out.toString());
        Map<String, Object> report = json(out);
        Map<String, Object> recorded = json(Path.of("captures", name + ".json"));
        assertThat(report.get("verdict")).as(r.out()).isEqualTo(recorded.get("verdict"));
        assertThat(r.exit()).isEqualTo("pass".equals(recorded.get("verdict")) ? ExitCodes.OK : ExitCodes.CHECK_FAILED);
        assertThat(statuses(report)).isEqualTo(live.liveStatuses());
        assertThat(causes(report)).isEqualTo(live.liveCauses());
    }

    /** The frames of a capture without our facts (as tcpdump writes them: classic pcap, no directions). */
    static Path pcapOf(Path dir, String capture, Role role) throws IOException {
        List<byte[]> packets = new ArrayList<>();
        long t0 = 0;
        for (Frame f : Recorded.load(capture).frames()) {
            if (f.point().role() == role) {
                t0 = t0 == 0 ? f.timeNs() : t0;
                packets.add(f.data());
            }
        }
        Path p = dir.resolve(capture + "-" + role.id() + ".pcap");
        Files.write(p, CaptureFilesTest.pcap(true, ByteOrder.LITTLE_ENDIAN, packets, t0));
        return p;
    }

    /** The kernel facts of a recorded run, as `facts --output` writes them on the host. */
    static Path factsOf(Path dir, String capture) throws IOException {
        Path p = dir.resolve(capture + "-facts.json");
        Files.writeString(p, FactsJson.writeFile(Recorded.load(capture).kernel(), "macvlan-doctor test"));
        return p;
    }

    @Test
    void aCaptureWithNoExchangeIsInconclusive() throws Exception {
        Random rnd = new Random(3);
        List<byte[]> noise = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] b = Packets.echoFrame(rnd.nextLong() & 0xfeffffffffffL, rnd.nextLong() & 0xfeffffffffffL,
                    IpAddress.v4(rnd.nextInt()), IpAddress.v4(rnd.nextInt()), true, 1, 1, new byte[32]);
            b[23] = 17;
            noise.add(b);
        }
        Path p = dir.resolve("noise.pcap");
        Files.write(p, CaptureFilesTest.pcap(false, ByteOrder.LITTLE_ENDIAN, noise, 1_764_300_000_000_000_000L));
        Path out = dir.resolve("n.json");
        InProcess.Run r = run("analyze", "--capture", "parent=" + p, "--container-ip", "192.168.136.240",
                "--host-ip", "192.168.136.130", "--report-json", out.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("verdict: INCONCLUSIVE");
        Map<String, Object> report = json(out);
        assertThat(report.get("verdict")).isEqualTo("inconclusive");
        assertThat(statuses(report).values()).containsOnly("unproven");
    }

    /**
     * A healthy run's capture cut short, as a killed tcpdump or a full disk leaves it: read up to the last complete
     * record, the note says where it stopped, and no check fails for what is missing.
     */
    @Test
    void aCaptureCutShortIsJudgedOnWhatItHolds() throws Exception {
        byte[] whole = Files.readAllBytes(Path.of("captures", "healthy.pcapng"));
        // The facts the export carries may be in the part cut off: given as a file, as `facts` writes it.
        Path facts = factsOf(dir, "healthy");
        for (int cut : new int[] {whole.length / 3, whole.length / 2, whole.length * 9 / 10, whole.length - 3}) {
            Path p = dir.resolve("cut-" + cut + ".pcapng");
            Files.write(p, java.util.Arrays.copyOf(whole, cut));
            Path out = dir.resolve("cut-" + cut + ".json");
            InProcess.Run r = run("analyze", "--capture", p.toString(), "--facts", facts.toString(),
                    "--report-json", out.toString());
            assertThat(r.exit()).as(r.out() + r.err()).isIn(ExitCodes.OK, ExitCodes.CHECK_FAILED);
            assertThat(r.out()).contains(p + ": cut short at byte offset");
            Map<String, Object> report = json(out);
            assertThat(report.get("verdict")).as(r.out()).isNotEqualTo("fail").isNotEqualTo("pass");
            assertThat(statuses(report).values()).as(r.out()).doesNotContain("fail");
        }
    }

    /**
     * A tcpdump on the parent alone, of a healthy path: without facts nothing says which MAC is the shim's or which
     * way frames went, and the checks that need it say so; the host's facts prove the path.
     */
    @Test
    void aParentOnlyCaptureOfAHealthyPathNeedsTheFactsToPass() throws Exception {
        Path parent = pcapOf(dir, "healthy", Role.PARENT);
        Path out = dir.resolve("p.json");
        InProcess.Run r = run("analyze", "--capture", "parent=" + parent, "--container-ip", "192.168.136.240",
                "--host-ip", "192.168.136.130", "--report-json", out.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.CHECK_FAILED);
        Map<String, Object> report = json(out);
        assertThat(report.get("verdict")).isEqualTo("inconclusive");
        assertThat(statuses(report)).doesNotContainValue("fail");
        assertThat(report.get("reasons").toString()).contains("--shim-mac").contains("--facts");
        InProcess.Run f = run("analyze", "--capture", "parent=" + parent, "--facts", factsOf(dir, "healthy").toString(),
                "--force", "--report-json", out.toString());
        assertThat(f.exit()).as(f.out()).isZero();
        assertThat(statuses(json(out)).values()).containsOnly("pass");
        assertThat(f.out()).contains("direction inferred from the facts' MAC addresses at host:");
    }

    /** No fact is ever read off the frames it judges: the shim's MAC given wrong makes src-mac-is-shim fail. */
    @Test
    void factsGivenAsOptionsAreWhatTheFramesAreJudgedAgainst() throws Exception {
        Path parent = pcapOf(dir, "healthy", Role.PARENT);
        Path out = dir.resolve("o.json");
        String shim = Mac.format(Recorded.load("healthy").topology().shim().mac());
        run("analyze", "--capture", "parent=" + parent, "--container-ip", "192.168.136.240", "--host-ip",
                "192.168.136.130", "--shim-mac", shim, "--report-json", out.toString());
        assertThat(statuses(json(out)).get("host-to-container.src-mac-is-shim")).isEqualTo("pass");
        run("analyze", "--capture", "parent=" + parent, "--container-ip", "192.168.136.240", "--host-ip",
                "192.168.136.130", "--shim-mac", "02:00:00:00:00:99", "--force", "--report-json", out.toString());
        assertThat(statuses(json(out)).get("host-to-container.src-mac-is-shim")).isEqualTo("fail");
    }

    @Test
    void ourExportWithItsFramesStrippedIsNotAPass() throws Exception {
        Path f = dir.resolve("stripped.pcapng");
        try (OutputStream o = Files.newOutputStream(f)) {
            PcapngWriter.write(o, "test", sectionComments("healthy"), points("healthy"), List.of(), Map.of());
        }
        InProcess.Run r = run("analyze", "--capture", f.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("verdict: INCONCLUSIVE").doesNotContain("FAIL  ");
    }

    @Test
    void deeplyNestedJsonInTheFactsIsBadInputNamingTheFileAndOffset() throws Exception {
        Path f = dir.resolve("nested.pcapng");
        try (OutputStream o = Files.newOutputStream(f)) {
            PcapngWriter.write(o, "test", List.of(FactsJson.MARKER + "1/1 " + "[".repeat(50_000)), points("healthy"),
                    Recorded.load("healthy").frames(), Map.of());
        }
        InProcess.Run r = run("analyze", "--capture", f.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("nested.pcapng").contains("byte offset 0").contains("nested deeper than 64")
                .doesNotContain("Exception").doesNotContain("Error");
    }

    @Test
    void aBrokenFactsFileIsBadInput() throws Exception {
        Path f = dir.resolve("facts.json");
        for (String text : List.of("{\"factsVersion\": 1, \"kernel\": " + "[".repeat(10_000),
                "{\"factsVersion\": 7}", "{\"factsVersion\": 1, \"kernel\": {\"hostLinks\": \"nope\"}}", "not json")) {
            Files.writeString(f, text);
            InProcess.Run r = run("analyze", "--capture", "captures/healthy.pcapng", "--facts", f.toString());
            assertThat(r.exit()).as(text + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("facts.json").doesNotContain("Exception");
        }
    }

    @Test
    void framesAloneSayWhatTheyProve() throws Exception {
        Path out = dir.resolve("m.json");
        List<String> args = new ArrayList<>(List.of("analyze", "--container-ip", "192.168.136.240", "--host-ip",
                "192.168.136.130", "--report-json", out.toString()));
        for (Role r : Role.values()) {
            args.addAll(List.of("--capture", r.id() + "=" + pcapOf(dir, "route-mismatch", r)));
        }
        run(args.toArray(String[]::new));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) ((List<Object>) json(out).get("diagnosis")).get(0);
        assertThat(d.get("cause")).isEqualTo("no-route");
        assertThat((String) d.get("summary")).contains("no-route or route-mismatch");
        assertThat((List<?>) d.get("fix")).isEmpty();
    }

    @Test
    void readsACaptureFromStandardInput() throws Exception {
        InputStream in = System.in;
        try {
            System.setIn(Files.newInputStream(Path.of("captures/healthy.pcapng")));
            InProcess.Run r = run("analyze", "--capture", "-");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("verdict: PASS");
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws Exception {
        Path junk = dir.resolve("junk.pcap");
        Files.write(junk, new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0});
        for (String[] args : new String[][] {
            {"analyze", "--capture", junk.toString()},
            {"analyze", "--capture", "nosuch=captures/healthy.pcapng"},
            {"analyze", "--capture", "parent=" + dir.resolve("missing.pcap")},
            {"analyze", "--capture", "parent="},
            {"analyze", "--capture", "parent=" + pcapOf(dir, "healthy", Role.PARENT)},
            {"analyze", "--capture", "-", "--capture", "-"},
            {"analyze"}}) {
            InProcess.Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + " " + r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception");
        }
    }

    @Test
    void reExportKeepsRolesFactsAndOpensAgain() throws Exception {
        Path ng = dir.resolve("again.pcapng");
        InProcess.Run r = run("analyze", "--capture", "captures/dual-stack.pcapng", "--pcapng", ng.toString());
        assertThat(r.exit()).isZero();
        InProcess.Run again = run("analyze", "--capture", ng.toString());
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("verdict: PASS (16 passed");
    }

    static List<String> sectionComments(String capture) {
        Recorded r = Recorded.load(capture);
        return FactsJson.encodeComments(new FactsJson.Recorded(r.topology(), r.outcomes(), r.coverage(), r.kernel()));
    }

    static List<CapturePoint> points(String capture) {
        return new ArrayList<>(new LinkedHashSet<>(Recorded.load(capture).frames().stream().map(Frame::point).toList()));
    }

    static byte[] bytes(String capture) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PcapngWriter.write(b, "test", sectionComments(capture), points(capture), Recorded.load(capture).frames(),
                Map.of());
        return b.toByteArray();
    }
}
