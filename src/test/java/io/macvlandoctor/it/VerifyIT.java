package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** verify against the real kernel: the lab, hand-built topologies, and cross-checks with tcpdump and tshark. */
@RootOnly
class VerifyIT {
    @TempDir
    Path dir;

    @Test
    void healthyLabPassesEveryCheckAndTheEvidenceMatchesTheKernel() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Path json = dir.resolve("r.json");
            Path junit = dir.resolve("r.xml");
            Cli.Result r = Cli.tool("verify", "--lab", lab.name, "--report-json", json.toString(), "--junit",
                    junit.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("verdict: PASS");
            Map<String, Object> rep = Json.read(json);
            assertThat(rep.get("verdict")).isEqualTo("pass");
            assertThat(Json.list(rep, "checks")).as("8 of the host path, 4 of the LAN").hasSize(12).allMatch(c -> "pass".equals(c.get("status")));
            String shimMac = Json.macOf(lab.hostNs(), "macvlan0-host");
            String parentMac = Json.macOf(lab.hostNs(), "ens33");
            String ctrMac = Json.macOf(lab.ctrNs(), "eth0");
            assertThat(Json.map(rep, "topology", "shim").get("mac")).isEqualTo(shimMac);
            assertThat(Json.map(rep, "topology", "parent").get("mac")).isEqualTo(parentMac);
            assertThat(Json.map(rep, "topology", "container").get("mac")).isEqualTo(ctrMac);
            Map<String, Object> srcMac = Json.list(Json.check(rep, "host-to-container.src-mac-is-shim"), "evidence").get(0);
            assertThat(srcMac.get("srcMac")).isEqualTo(shimMac);
            assertThat(srcMac.get("dstMac")).isEqualTo(ctrMac);
            assertThat(srcMac.get("srcIp")).isEqualTo("192.168.136.130");
            List<Map<String, Object>> flux = Json.list(Json.check(rep, "container-to-host.arp-flux"), "evidence");
            assertThat(flux.get(1).get("kind")).isEqualTo("arp-reply");
            assertThat(flux.get(1).get("srcMac")).isEqualTo(shimMac);

            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
            assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(12);
            assertThat(d.getElementsByTagName("failure").getLength()).isZero();
            io.macvlandoctor.report.JunitSchemas.assertValid(junit);
        }
    }

    @Test
    void aBrokenPathExitsOneWithFailuresInJunit() throws Exception {
        try (TestLab lab = TestLab.up("--fault", "no-route")) {
            Path junit = dir.resolve("f.xml");
            Cli.Result r = Cli.tool("verify", "--lab", lab.name, "--junit", junit.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).contains("FAIL  host-to-container.icmp").contains("PASS  container-to-host.arp-flux");
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
            assertThat(d.getElementsByTagName("failure").getLength()).isGreaterThanOrEqualTo(2);
            io.macvlandoctor.report.JunitSchemas.assertValid(junit);
        }
    }

    @Test
    void verifySetupShowsTheIsolationAppliesTheFixAndLeavesNothingBehind() {
        try (TestLab lab = TestLab.up()) {
            String before = lab.hostState();
            Path json = dir.resolve("s.json");
            Cli.Result r = Cli.tool("verify", "--lab", lab.name, "--setup", "--report-json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            Map<String, Object> rep = Json.read(json);
            assertThat(Json.check(rep, "isolation.host-to-container").get("status")).isEqualTo("pass");
            assertThat(Json.list(rep, "checks")).hasSize(13).allMatch(c -> "pass".equals(c.get("status")));
            assertThat(r.out()).contains("== before the fix").contains("== the fix").contains("== after the fix");
            assertThat(lab.hostState()).isEqualTo(before);
            assertThat(journalOf(lab)).as("the lab's journal is gone with its changes").doesNotExist();
        }
    }

    @Test
    void keepLeavesTheFixForTeardown() {
        try (TestLab lab = TestLab.up()) {
            Cli.Result r = Cli.tool("verify", "--lab", lab.name, "--setup", "--keep");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(lab.hostPingsContainer()).isTrue();
            Cli.Result t = Cli.tool("teardown", "--lab", lab.name);
            assertThat(t.exit()).as(t.toString()).isZero();
            assertThat(t.out()).contains("undone: create macvlan0-host");
            lab.flushNeighbours();
            assertThat(lab.hostPingsContainer()).isFalse();
        }
    }

    @Test
    void labVerifyTellsTheArticlesStoryAndCleansUp() {
        Cli.Result r = Cli.tool("lab", "verify");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("no shim: the state before the article's fix")
                .contains("PASS  isolation.host-to-container")
                .contains("+ ip -n mvd-verify-").contains("link add link ens33 name macvlan0-host type macvlan mode bridge")
                .contains("PASS  path.stays-on-host").contains("PASS  lan.reply-to-container")
                .contains("verdict: PASS (13 passed, 0 failed, 0 unproven)");
        TestLab.assertThrowawayLabGone(r);
    }

    /**
     * --container-pid with a plain process in a namespace the test made, as with Podman, LXC or a Kubernetes pod:
     * any process of the container names its network namespace.
     */
    @Test
    void aProcessNamesTheContainersNamespace() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Process sleeper = new ProcessBuilder("ip", "netns", "exec", lab.ctrNs(), "sleep", "120").start();
            try {
                // ip netns exec replaces itself with sleep: the PID is the process in the namespace.
                long deadline = System.nanoTime() + 5_000_000_000L;
                String ns = "/run/netns/" + lab.ctrNs();
                while (!sameNs(sleeper.pid(), ns)) {
                    assertThat(System.nanoTime()).as("the process enters the namespace").isLessThan(deadline);
                    Thread.sleep(20);
                }
                Cli.Result r = Cli.tool("verify", "--host-netns", lab.hostNs(), "--container-pid",
                        Long.toString(sleeper.pid()));
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.out()).contains("verdict: PASS");
            } finally {
                sleeper.destroy();
                sleeper.waitFor();
            }
        }
    }

    /** Whether the process's network namespace is the one bound at path (same inode). */
    static boolean sameNs(long pid, String path) throws IOException {
        Object a = Files.getAttribute(Path.of("/proc", Long.toString(pid), "ns/net"), "unix:ino");
        Object b = Files.getAttribute(Path.of(path), "unix:ino");
        return a.equals(b);
    }

    /** Other names, other subnet, no lab: the tool discovers parent, shim and container from the kernel. */
    @Test
    void aHandBuiltTopologyWithOtherNamesAndAShimAddress() {
        try (HandBuilt t = HandBuilt.create()) {
            Path json = dir.resolve("h.json");
            Cli.Result r = Cli.tool("verify", "--host-netns", t.host, "--container-netns", t.ctr, "--report-json",
                    json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            Map<String, Object> rep = Json.read(json);
            assertThat(Json.map(rep, "topology", "parent").get("name")).isEqualTo("uplink0");
            assertThat(Json.map(rep, "topology", "shim").get("name")).isEqualTo("mv-shim");
            assertThat(Json.map(rep, "topology", "container").get("name")).isEqualTo("app0");
            assertThat(Json.map(rep, "topology", "container").get("ip")).isEqualTo("10.20.5.7");
            assertThat(Json.check(rep, "path.parent-tap").get("status")).isEqualTo("pass");
            assertThat(Json.check(rep, "path.stays-on-host").get("status")).isEqualTo("pass");

            // The shim gets its own address: the kernel now sources host-to-container traffic from it.
            Cli.Result s = Cli.tool("setup", "--host-netns", t.host, "--container-netns", t.ctr, "--shim-ip",
                    "10.20.0.99/32");
            assertThat(s.exit()).as(s.toString()).isZero();
            Cli.Result v = Cli.tool("verify", "--host-netns", "/run/netns/" + t.host, "--container-netns",
                    "/run/netns/" + t.ctr, "--force", "--report-json", json.toString());
            assertThat(v.exit()).as(v.toString()).isZero();
            rep = Json.read(json);
            Map<String, Object> srcIp = Json.check(rep, "host-to-container.src-ip");
            assertThat(srcIp.get("summary").toString()).contains("10.20.0.99");
            assertThat(Json.list(srcIp, "evidence").get(0).get("srcIp")).isEqualTo("10.20.0.99");
            assertThat(Cli.tool("teardown", "--host-netns", t.host).exit()).isZero();
        }
    }

    /** tcpdump on the shim and in the container at the same time sees the very frames the tool reports. */
    @Test
    void tcpdumpSeesTheFramesTheToolReports() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Path shimCap = dir.resolve("shim.pcap");
            Path ctrCap = dir.resolve("ctr.pcap");
            Process a = Capture.tcpdump(lab.hostNs(), "macvlan0-host", shimCap);
            Process b = Capture.tcpdump(lab.ctrNs(), "eth0", ctrCap);
            Path json = dir.resolve("t.json");
            Cli.Result r;
            try {
                r = Cli.tool("verify", "--lab", lab.name, "--report-json", json.toString());
            } finally {
                Capture.stop(a);
                Capture.stop(b);
            }
            assertThat(r.exit()).as(r.toString()).isZero();
            Map<String, Object> rep = Json.read(json);
            Map<String, Object> hostEcho = Json.list(rep, "phases").get(0);
            Map<String, Object> ex = Json.list(hostEcho, "exchanges").get(0);
            Map<String, Object> req = Json.list(ex, "requests").get(0);
            String id = String.valueOf(req.get("icmpId"));
            for (Path cap : List.of(shimCap, ctrCap)) {
                Cli.Result ts = Cli.exec("tshark", "-r", cap.toString(), "-Y", "icmp.ident == " + id, "-T", "fields",
                        "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type", "-e",
                        "icmp.seq");
                assertThat(ts.exit()).as(ts.toString()).isZero();
                List<String> lines = ts.out().lines().toList();
                assertThat(lines).as(cap + ": " + ts).contains(
                        req.get("srcMac") + "\t" + req.get("dstMac") + "\t192.168.136.130\t192.168.136.240\t8\t1",
                        req.get("dstMac") + "\t" + req.get("srcMac") + "\t192.168.136.240\t192.168.136.130\t0\t1");
            }
            // ... and tcpdump saw the same number of echo frames of our run on each point as the tool did.
            long toolAtCtr = Json.list(ex, "requests").stream().filter(f -> "container:eth0".equals(f.get("point"))).count()
                    + Json.list(ex, "replies").stream().filter(f -> "container:eth0".equals(f.get("point"))).count();
            Cli.Result count = Cli.exec("tshark", "-r", ctrCap.toString(), "-Y", "icmp.ident == " + id + " && icmp.seq == 1");
            assertThat(count.out().lines().count()).isEqualTo(toolAtCtr);
        }
    }

    @Test
    void thePcapngOpensInTsharkWithOneInterfacePerPoint() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Path ng = dir.resolve("v.pcapng");
            Path json = dir.resolve("v.json");
            Cli.Result r = Cli.tool("verify", "--lab", lab.name, "--pcapng", ng.toString(), "--report-json",
                    json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            Cli.Result plain = Cli.exec("tshark", "-r", ng.toString());
            assertThat(plain.exit()).as(plain.toString()).isZero();
            assertThat(plain.err().lines().filter(l -> !l.startsWith("Running as user")).toList()).isEmpty();
            Cli.Result f = Cli.exec("tshark", "-r", ng.toString(), "-T", "fields", "-e", "frame.interface_name",
                    "-e", "frame.p2p_dir");
            List<String> lines = f.out().lines().toList();
            long captured = Json.list(Json.list(Json.read(json), "phases").get(0), "capture").stream()
                    .mapToLong(s -> ((Number) s.get("captured")).longValue()).sum();
            assertThat(lines).hasSize((int) captured);
            assertThat(lines.stream().map(l -> l.split("\t")[0]).distinct())
                    .containsExactlyInAnyOrder("host:ens33", "host:macvlan0-host", "container:eth0", "lan:gw0");
            assertThat(lines).contains("container:eth0\t1", "container:eth0\t0", "host:ens33\t1");
            Cli.Result c = Cli.exec("tshark", "-r", ng.toString(), "-Y", "frame.comment", "-V");
            assertThat(c.out()).contains("container-to-host.arp-flux (pass)").contains("host-to-container.icmp (pass)");
        }
    }

    /** The journal of the lab's host namespace (other tests, running alongside, have their own). */
    private static Path journalOf(TestLab lab) {
        try {
            Object ino = Files.getAttribute(Path.of("/run/netns", lab.hostNs()), "unix:ino");
            return Path.of("/run/macvlan-doctor", "netns-" + ino, "journal.json");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
