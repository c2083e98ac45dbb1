package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's path to the LAN on topologies built by hand: the peer namespace holds the containers' gateway
 * (and further LAN addresses), the containers route through it. Healthy paths pass for each container, each
 * --lan-ip and both families; a port that takes the host's MAC only, a gateway that is gone and a source MAC
 * rewritten on the way out are each named, checked against iputils and tcpdump in the same namespaces.
 */
@RootOnly
class LanIT {
    static final List<String> LAN = List.of("lan.resolve", "lan.icmp", "lan.src-mac", "lan.reply-to-container");

    @TempDir
    Path dir;

    Map<String, Object> run(int exit, String... args) {
        Path json = dir.resolve("r" + System.nanoTime() + ".json");
        String[] argv = new String[args.length + 2];
        System.arraycopy(args, 0, argv, 0, args.length);
        argv[args.length] = "--report-json";
        argv[args.length + 1] = json.toString();
        Cli.Result r = Cli.tool(argv);
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        Map<String, Object> rep = Json.read(json);
        rep.put("_text", r.toString());
        return rep;
    }

    static String status(Map<String, Object> rep, String id) {
        return (String) Json.check(rep, id).get("status");
    }

    static List<String> lanIds(Map<String, Object> rep) {
        return Json.list(rep, "checks").stream().map(c -> (String) c.get("id")).filter(id -> id.contains("lan."))
                .toList();
    }

    @Test
    void twoContainersPassTheirPathToTheGatewayAndToEachLanIp() throws Exception {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, true)) {
            String second = t.addContainer("172.31.200.78");
            t.ip("-n", t.host, "route", "add", "172.31.200.78", "dev", t.n.shim());
            t.lan("172.31.200.254", "172.31.200.9");
            for (String ctr : List.of(t.ctr, second)) {
                Path pcap = dir.resolve("far0-" + ctr + ".pcap");
                Process tcpdump = Capture.tcpdump(t.peer, "far0", pcap);
                Map<String, Object> rep = run(0, "verify", "--host-netns", t.host, "--container-netns", ctr,
                        "--lan-ip", "172.31.200.9");
                Capture.stop(tcpdump);
                for (String id : LAN) {
                    assertThat(status(rep, id)).as(id + " " + rep.get("_text")).isEqualTo("pass");
                }
                assertThat((String) Json.check(rep, "lan.icmp").get("summary")).contains("172.31.200.254")
                        .contains("172.31.200.9");
                // The peer's own capture saw the container's questions, from the container's MAC.
                String mac = t.mac(ctr, t.n.iface());
                String seen = Cli.exec("tcpdump", "-enr", pcap.toString()).out();
                assertThat(seen).as(seen).contains(mac + " > ff:ff:ff:ff:ff:ff").contains("who-has 172.31.200.254")
                        .contains("who-has 172.31.200.9");
                assertThat(seen).contains("172.31.200.9: ICMP echo request");
            }
            assertThat(lanIds(run(0, "verify", "--host-netns", t.host, "--container-netns", second, "--no-lan")))
                    .isEmpty();
            Cli.Result far = Cli.tool("verify", "--host-netns", t.host, "--container-netns", t.ctr, "--lan-ip",
                    "198.18.0.1");
            assertThat(far.exit()).as(far.toString()).isEqualTo(2);
            assertThat(far.err().strip().lines()).as(far.toString()).hasSize(1);
            assertThat(far.err()).contains("--lan-ip 198.18.0.1 is not on the container's link");
        }
    }

    /** As a virtual switch without forged transmits: the LAN port takes frames from the parent's own MAC only. */
    @Test
    void aPortThatTakesTheHostsMacOnlyIsLanMacFiltered() {
        try (HandBuilt t = HandBuilt.create()) {
            t.lan("10.20.255.254");
            String parentMac = t.mac(t.host, t.n.parent());
            t.in(t.peer, "nft", "add table netdev port; add chain netdev port in { type filter hook ingress device "
                    + "far0 priority 0; policy accept; }; add rule netdev port in ether saddr != " + parentMac
                    + " drop");
            assertThat(t.ping(t.ctr, "10.20.255.254")).as("iputils: the container cannot reach its gateway").isFalse();
            assertThat(t.ping(t.host, "10.20.255.254")).as("iputils: the host can").isTrue();
            Map<String, Object> rep = run(1, t.target("diagnose"));
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("lan-mac-filtered");
            Map<String, Object> d = HandBuiltDiagnoseIT.diagnosis(rep, "lan-mac-filtered");
            assertThat(DiagnoseIT.fixes(rep)).as("nothing of this host's to change").isEmpty();
            assertThat(Json.strings(d, "notes")).anyMatch(n -> n.contains("Forged transmits"));
            assertThat(status(rep, "lan.resolve")).isEqualTo("fail");
            assertThat(status(rep, "lan.src-mac")).isEqualTo("pass");
            assertThat(status(rep, "container-to-host.icmp")).as("the host path is not blamed").isEqualTo("pass");

            t.in(t.peer, "nft", "delete table netdev port");
            run(0, t.target("verify"));
        }
    }

    /**
     * The same port, judged with the facts of a VMware guest (the driver is all that differs): parent-not-promisc,
     * with the article's `promisc on` as its fix and the port group's settings as a note. The fix runs as printed,
     * the port takes other MACs (the hypervisor's half), and verify passes; the facts say who set the flag.
     */
    @Test
    void onAVirtualNicTheArticlesPromiscOnIsTheHostsHalfOfTheFix() {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, true)) {
            t.lan("172.31.200.254");
            String parentMac = t.mac(t.host, t.n.parent());
            t.in(t.peer, "nft", "add table netdev port; add chain netdev port in { type filter hook ingress device "
                    + "far0 priority 0; policy accept; }; add rule netdev port in ether saddr != " + parentMac
                    + " drop");
            Path pcap = dir.resolve("run.pcapng");
            run(1, t.target("verify", "--pcapng", pcap.toString()));
            Path facts = dir.resolve("facts.json");
            Cli.Result f = Cli.tool(t.target("facts", "--output", facts.toString()));
            assertThat(f.exit()).as(f.toString()).isZero();
            Map<String, Object> file = Json.read(facts);
            Map<String, Object> nic = Json.map(file, "kernel", "parentNic");
            assertThat(nic).containsEntry("driver", "veth").containsEntry("promisc", false);
            nic.put("driver", "vmxnet3");
            nic.put("promiscuity", 0L);
            Path vm = dir.resolve("vm.json");
            writeJson(vm, file);
            Map<String, Object> rep = run(1, "analyze", "--capture", pcap.toString(), "--facts", vm.toString());
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("parent-not-promisc");
            assertThat(DiagnoseIT.fixes(rep)).containsExactly("ip -n " + t.host + " link set " + t.n.parent()
                    + " promisc on");
            assertThat(Json.strings(HandBuiltDiagnoseIT.diagnosis(rep, "parent-not-promisc"), "notes"))
                    .anyMatch(n -> n.startsWith("VMware: ") && n.contains("Forged transmits"));

            DiagnoseIT.fixes(rep).forEach(DiagnoseIT::runAsPrinted);
            t.in(t.peer, "nft", "delete table netdev port");
            Map<String, Object> after = run(0, t.target("verify"));
            for (String id : LAN) {
                assertThat(status(after, id)).as(id).isEqualTo("pass");
            }
            assertThat(Cli.tool(t.target("facts", "--output", facts.toString(), "--force")).exit()).isZero();
            assertThat(Json.map(Json.read(facts), "kernel", "parentNic")).containsEntry("promisc", true);
        }
    }

    private static void writeJson(Path p, Object value) {
        try {
            Files.writeString(p, io.macvlandoctor.json.Json.write(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aGatewayThatIsGoneIsLanPeerSilent() {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, true)) {
            t.lan("172.31.200.254");
            t.ip("-n", t.peer, "addr", "flush", "dev", "far0");
            assertThat(t.ping(t.ctr, "172.31.200.254")).isFalse();
            assertThat(t.ping(t.host, "172.31.200.254")).isFalse();
            Map<String, Object> rep = run(1, t.target("diagnose"));
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("lan-peer-silent");
            assertThat(DiagnoseIT.fixes(rep)).isEmpty();
        }
    }

    /** What a bond in balance-tlb does to the container's frames, made with an egress rule on the parent. */
    @Test
    void aSourceMacRewrittenOnTheWayOutFailsSrcMac() throws Exception {
        try (HandBuilt t = HandBuilt.create()) {
            t.lan("10.20.255.254");
            String parentMac = t.mac(t.host, t.n.parent());
            String ctrMac = t.mac(t.ctr, t.n.iface());
            t.in(t.host, "nft", "add table netdev out; add chain netdev out eg { type filter hook egress device "
                    + t.n.parent() + " priority 0; policy accept; }; add rule netdev out eg ether saddr " + ctrMac
                    + " ether saddr set " + parentMac);
            Path pcap = dir.resolve("far0.pcap");
            Process tcpdump = Capture.tcpdump(t.peer, "far0", pcap);
            Map<String, Object> rep = run(1, t.target("diagnose"));
            Capture.stop(tcpdump);
            String seen = Cli.exec("tcpdump", "-enr", pcap.toString()).out();
            assertThat(seen).as("tcpdump at the peer: the container's question came with the parent's MAC")
                    .contains(parentMac + " > ff:ff:ff:ff:ff:ff").contains("tell " + HandBuilt.CTR_IP)
                    .doesNotContain(ctrMac + " > ff:ff:ff:ff:ff:ff");
            assertThat(status(rep, "lan.src-mac")).as(rep.get("_text").toString()).isEqualTo("fail");
            assertThat((String) Json.check(rep, "lan.src-mac").get("summary")).contains(parentMac);
            Map<String, Object> d = HandBuiltDiagnoseIT.diagnosis(rep, "unexplained");
            assertThat(Json.strings(d, "notes")).anyMatch(n -> n.contains("rewrites the container's source MAC"));
        }
    }

    /** The lab's fault shows the article's whole LAN side failing, and working once the port takes other MACs. */
    @Test
    void theLabsFilteringPortIsLanMacFilteredWithNotesOnly() {
        try (TestLab lab = TestLab.up("--fault", "lan-mac-filtered")) {
            Map<String, Object> rep = run(1, "diagnose", "--lab", lab.name);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("lan-mac-filtered");
            assertThat(DiagnoseIT.fixes(rep)).isEmpty();
            Map<String, Object> d = HandBuiltDiagnoseIT.diagnosis(rep, "lan-mac-filtered");
            assertThat(Json.strings(d, "notes")).isNotEmpty();
            assertThat((String) d.get("summary")).contains("192.168.136.2");
            // What the hypervisor's fix does to the lab: the port takes every MAC again.
            Cli.Result r = Cli.inNs(lab.lanNs(), "nft", "flush", "ruleset", "netdev");
            assertThat(r.exit()).as(r.toString()).isZero();
            Map<String, Object> after = run(0, "verify", "--lab", lab.name);
            for (String id : LAN) {
                assertThat(status(after, id)).as(id).isEqualTo("pass");
            }
        }
    }

    /** Both families, the shim made by verify --setup, the kernel's defaults left alone (proxy_delay included). */
    @Test
    void dualStackLanPassesAfterSetup() {
        try (HandBuilt t = HandBuilt.create(true, true, false)) {
            t.lan("10.20.255.254");
            t.lan("2001:db8:77::fffe");
            Map<String, Object> rep = run(0, t.target("verify", "--setup"));
            for (String id : LAN) {
                assertThat(status(rep, id)).as(id + " " + rep.get("_text")).isEqualTo("pass");
                assertThat(status(rep, "ipv6." + id)).as("ipv6." + id + " " + rep.get("_text")).isEqualTo("pass");
            }
        }
    }
}
