package io.macvlandoctor.engine;

import static io.macvlandoctor.cli.InProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.cli.InProcess;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference captures replayed through `analyze`, in-process and without root. */
class AnalyzeReplayTest {
    @TempDir
    Path dir;


    static List<String> captures() {
        return Recorded.names();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path p) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(p));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> statuses(Map<String, Object> report) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Object o : (List<Object>) report.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) o;
            m.put((String) c.get("id"), (String) c.get("status"));
        }
        return m;
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
        assertThat(report.get("diagnosis").toString().contains("cause")).isEqualTo(!live.liveCauses().isEmpty());
        assertThat(((List<?>) report.get("diagnosis")).stream().map(d -> ((Map<?, ?>) d).get("cause")).toList())
                .isEqualTo(live.liveCauses());
    }

    /** Without the recorded facts (as for a tcpdump file), the frames alone still give the verdict. */
    @ParameterizedTest
    @MethodSource("captures")
    void framesAloneGiveTheVerdict(String name) throws Exception {
        Map<String, Object> recorded = json(Path.of("captures", name + ".json"));
        Path out = dir.resolve("f.json");
        // A hint disables the recorded facts: everything else is read off the frames.
        InProcess.Run r = run("analyze", "--capture", "captures/" + name + ".pcapng", "--container-ip", "192.168.136.240",
                "--report-json", out.toString());
        assertThat(r.err()).isEmpty();
        Map<String, Object> report = json(out);
        assertThat(report.get("verdict")).as(r.out()).isEqualTo(recorded.get("verdict"));
        assertThat(statuses(report).get("container-to-host.arp-flux"))
                .isEqualTo(statuses(recorded).get("container-to-host.arp-flux"));
        // With the parent down nothing was sent at all: the socket knew the echo failed, the frames only that
        // there was none.
        assertThat(statuses(report).get("host-to-container.icmp"))
                .isIn(statuses(recorded).get("host-to-container.icmp"), "skip");
    }

    @Test
    void framesAloneSayWhatTheyProve() throws Exception {
        Path out = dir.resolve("m.json");
        run("analyze", "--capture", "captures/route-mismatch.pcapng", "--container-ip", "192.168.136.240",
                "--report-json", out.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) ((List<Object>) json(out).get("diagnosis")).get(0);
        assertThat(d.get("cause")).isEqualTo("no-route");
        assertThat((String) d.get("summary")).contains("left through ens33 (egress on the parent, seen on the wire)")
                .contains("no-route or route-mismatch");
        run("analyze", "--capture", "captures/arp-ignore.pcapng", "--container-ip", "192.168.136.240",
                "--force", "--report-json", out.toString());
        assertThat(json(out).get("diagnosis").toString()).contains("cause=arp-ignore");
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
            {"analyze"}}) {
            InProcess.Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + " " + r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception");
        }
    }

    @Test
    void reExportKeepsRolesAndOpensAgain() throws Exception {
        Path ng = dir.resolve("again.pcapng");
        InProcess.Run r = run("analyze", "--capture", "captures/healthy.pcapng", "--pcapng", ng.toString());
        assertThat(r.exit()).isZero();
        InProcess.Run again = run("analyze", "--capture", ng.toString());
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("verdict: PASS");
    }
}
