package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Captures that others would bring home: tcpdump on each point while iputils ping and arping run (no probe of
 * ours), analyzed to the right verdict.
 */
@RootOnly
class AnalyzeIT {
    @TempDir
    Path dir;

    /** Captures on the four points while iputils does what DESIGN §2 does, then stops them. */
    List<String> captureIputils(TestLab lab) throws Exception {
        Path ctr = dir.resolve("container.pcap");
        Path shim = dir.resolve("shim.pcap");
        Path parent = dir.resolve("parent.pcap");
        Path wire = dir.resolve("wire.pcap");
        List<Process> ps = new ArrayList<>();
        try {
            ps.add(Capture.tcpdump(lab.ctrNs(), "eth0", ctr));
            ps.add(Capture.tcpdump(lab.hostNs(), "macvlan0-host", shim));
            ps.add(Capture.tcpdump(lab.hostNs(), "ens33", parent));
            ps.add(Capture.tcpdump(lab.lanNs(), "gw0", wire));
            lab.flushNeighbours();
            lab.containerArpingsHost();
            lab.hostPingsContainer();
            lab.containerPingsHostAfterFlush();
        } finally {
            for (Process p : ps) {
                Capture.stop(p);
            }
        }
        return List.of("container=" + ctr, "shim=" + shim, "parent=" + parent, "wire=" + wire);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--fixed                | pass | ''",
        "--fault no-route       | fail | host-to-container.icmp",
        "--fault route-mismatch | fail | host-to-container.icmp",
        "--fault arp-ignore     | fail | container-to-host.arp-flux"})
    void tcpdumpCapturesOfIputilsGetTheRightVerdict(String args, String verdict, String failing) throws Exception {
        try (TestLab lab = TestLab.up(args.trim().split("\\s+"))) {
            List<String> caps = captureIputils(lab);
            Path json = dir.resolve("a.json");
            List<String> argv = new ArrayList<>(List.of("analyze", "--container-ip", TestLab.CTR_IP, "--report-json",
                    json.toString()));
            for (String c : caps) {
                argv.add("--capture");
                argv.add(c);
            }
            Cli.Result r = Cli.tool(argv.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(verdict.equals("pass") ? 0 : 1);
            Map<String, Object> rep = Json.read(json);
            assertThat(rep.get("verdict")).as(r.toString()).isEqualTo(verdict);
            assertThat(r.out()).contains("direction inferred from the addresses");
            if (!failing.isBlank()) {
                assertThat(Json.check(rep, failing).get("status")).as(r.toString()).isEqualTo("fail");
                assertThat(Json.list(rep, "diagnosis")).as(r.toString()).isNotEmpty();
            } else {
                assertThat(Json.check(rep, "container-to-host.arp-flux").get("status")).isEqualTo("pass");
                assertThat(Json.check(rep, "path.parent-tap").get("status")).isEqualTo("pass");
                assertThat(Json.check(rep, "host-to-container.src-mac-is-shim").get("summary").toString())
                        .contains(Json.macOf(lab.hostNs(), "macvlan0-host"));
            }
        }
    }

    @Test
    void directionSplitParentCapturesAndDumpcapPcapng() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Path in = dir.resolve("p-in.pcap");
            Path out = dir.resolve("p-out.pcap");
            Path ctr = dir.resolve("ctr.pcapng");
            List<Process> ps = new ArrayList<>();
            try {
                ps.add(Capture.tcpdumpDirection(lab.hostNs(), "ens33", "in", in));
                ps.add(Capture.tcpdumpDirection(lab.hostNs(), "ens33", "out", out));
                ps.add(Capture.dumpcap(lab.ctrNs(), "eth0", ctr));
                lab.flushNeighbours();
                assertThat(lab.hostPingsContainer()).isTrue();
                assertThat(lab.containerArpingsHost()).isTrue();
            } finally {
                Capture.stop(ps.get(0));
                Capture.stop(ps.get(1));
                if (ps.size() > 2) {
                    Capture.stopDumpcap(ps.get(2));
                }
            }
            Cli.Result r = Cli.tool("analyze", "--capture", "parent-in=" + in, "--capture", "parent-out=" + out,
                    "--capture", "container=" + ctr, "--host-ip", TestLab.HOST_IP);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("PASS  host-to-container.icmp").contains("PASS  path.parent-tap")
                    .contains("PASS  container-to-host.arp-flux");
        }
    }
}
