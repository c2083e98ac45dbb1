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
 * ours), analyzed to the right verdict with the host's facts (`facts`), and to no more than the frames prove without
 * them.
 */
@RootOnly
class AnalyzeIT {
    @TempDir
    Path dir;

    /** Captures on the four points while iputils does what docs/kernel-behaviour.md does, then stops them. */
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

    /** analyze ARGS --capture ... for the captures of captureIputils. */
    Cli.Result analyze(List<String> caps, String... args) {
        List<String> argv = new ArrayList<>(List.of("analyze"));
        argv.addAll(List.of(args));
        for (String c : caps) {
            argv.add("--capture");
            argv.add(c);
        }
        return Cli.tool(argv.toArray(String[]::new));
    }

    /** The host's facts as `macvlan-doctor facts` writes them, read before the captures, as on a real host. */
    Path facts(TestLab lab) {
        Path f = dir.resolve("facts.json");
        Cli.Result r = Cli.tool("facts", "--lab", lab.name, "--output", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        return f;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--fixed                | pass | ''                         | ''",
        "--fault no-route       | fail | host-to-container.icmp     | no-route",
        "--fault route-mismatch | fail | host-to-container.icmp     | route-mismatch",
        "--fault arp-ignore     | fail | container-to-host.arp-flux | arp-ignore",
        "--fault host-firewall  | fail | container-to-host.icmp     | host-firewall"})
    void tcpdumpCapturesOfIputilsWithTheHostsFactsGetTheRightVerdict(String args, String verdict, String failing,
                                                                     String cause) throws Exception {
        try (TestLab lab = TestLab.up(args.trim().split("\\s+"))) {
            Path facts = facts(lab);
            List<String> caps = captureIputils(lab);
            Path json = dir.resolve("a.json");
            Cli.Result r = analyze(caps, "--facts", facts.toString(), "--report-json", json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(verdict.equals("pass") ? 0 : 1);
            Map<String, Object> rep = Json.read(json);
            assertThat(rep.get("verdict")).as(r.toString()).isEqualTo(verdict);
            assertThat(r.out()).contains("direction inferred from the facts' MAC addresses");
            if (!failing.isBlank()) {
                assertThat(Json.check(rep, failing).get("status")).as(r.toString()).isEqualTo("fail");
                assertThat(Json.list(rep, "diagnosis")).as(r.toString()).extracting(d -> d.get("cause"))
                        .contains(cause);
            } else {
                for (Map<String, Object> c : Json.list(rep, "checks")) {
                    assertThat(c.get("status")).as(c.toString()).isEqualTo("pass");
                }
                assertThat(Json.check(rep, "host-to-container.src-mac-is-shim").get("summary").toString())
                        .contains(Json.macOf(lab.hostNs(), "macvlan0-host"));
            }
        }
    }

    /**
     * The same captures of a working path without facts prove only what the frames alone show: the rest is unproven
     * and the verdict inconclusive, never a pass on guessed MACs.
     */
    @Test
    void withoutFactsTheVerdictIsInconclusive() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            List<String> caps = captureIputils(lab);
            Path json = dir.resolve("n.json");
            Cli.Result r = analyze(caps, "--container-ip", TestLab.CTR_IP, "--report-json", json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            Map<String, Object> rep = Json.read(json);
            assertThat(rep.get("verdict")).isEqualTo("inconclusive");
            assertThat(Json.check(rep, "host-to-container.src-mac-is-shim")).containsEntry("status", "skip")
                    .containsEntry("unproven", true);
            assertThat(Json.check(rep, "path.parent-tap").get("status")).isEqualTo("skip");
            assertThat(r.out()).contains("verdict: INCONCLUSIVE").contains("give --shim-mac or --facts");
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
            // The addresses and MACs by hand, as someone without a facts file would give them.
            Cli.Result r = Cli.tool("analyze", "--capture", "parent-in=" + in, "--capture", "parent-out=" + out,
                    "--capture", "container=" + ctr, "--host-ip", TestLab.HOST_IP, "--container-ip", TestLab.CTR_IP,
                    "--shim-mac", Json.macOf(lab.hostNs(), "macvlan0-host"), "--parent-mac",
                    Json.macOf(lab.hostNs(), "ens33"));
            assertThat(r.out()).as(r.toString()).contains("PASS  host-to-container.icmp")
                    .contains("PASS  path.parent-tap").contains("PASS  container-to-host.arp-flux")
                    .contains("PASS  host-to-container.src-mac-is-shim");
        }
    }
}
