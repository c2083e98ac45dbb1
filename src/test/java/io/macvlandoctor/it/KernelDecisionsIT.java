package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real hosts do that no lab fault makes, on topologies built by hand (both sets of names and addresses): each
 * named with the kernel's own decisions as evidence, its fix run exactly as printed, then verify passes; a healthy
 * host set up by the usual recipe with the kernel's defaults passes; the trace instance leaves nothing behind.
 */
@RootOnly
class KernelDecisionsIT {
    @TempDir
    Path dir;

    Map<String, Object> diagnose(HandBuilt t, int exit) {
        Path json = dir.resolve("d" + System.nanoTime() + ".json");
        Cli.Result r = Cli.tool(t.target("diagnose", "--report-json", json.toString()));
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        Map<String, Object> rep = Json.read(json);
        rep.put("_text", r.toString());
        return rep;
    }

    static void mendAndVerify(HandBuilt t, Map<String, Object> rep) {
        HandBuiltDiagnoseIT.fixAndVerify(t, rep);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> kernel(Map<String, Object> d) {
        return (List<Map<String, Object>>) d.get("kernel");
    }

    /** A VPN-style rule for the container's address sends it to a table that routes it through the parent. */
    @Test
    void aPolicyRuleForTheContainerIsNamedAndARuleJustBeforeItCuresIt() {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, true)) {
            String ctr = t.n.ctrIp();
            t.ip("-n", t.host, "route", "add", ctr, "dev", t.n.parent(), "table", "77");
            t.ip("-n", t.host, "rule", "add", "to", ctr, "lookup", "77", "priority", "77");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("policy-route");
            Map<String, Object> d = HandBuiltDiagnoseIT.diagnosis(rep, "policy-route");
            assertThat(d.get("summary").toString()).contains("rule 77").contains("table 77");
            assertThat(DiagnoseIT.fixes(rep)).containsExactly("ip -n " + t.host + " rule add priority 76 to " + ctr
                    + " lookup main");
            assertThat(kernel(d)).as("the kernel's lookups in table 77: " + rep.get("_text")).isNotEmpty()
                    .allMatch(k -> "lookup".equals(k.get("type")) && ((Number) k.get("table")).intValue() == 77);
            mendAndVerify(t, rep);
            assertThat(Cli.exec("ip", "-n", t.host, "rule", "show").out()).as("the rule that diverts stays")
                    .contains("77:").contains("lookup 77");
        }
    }

    /**
     * A catch-all rule as Tailscale adds (priority 5270, a table whose default route leaves through a tunnel, here
     * a second uplink): every lookup goes there; the fix takes only the container's address back to main, and
     * everything else still goes through the "VPN".
     */
    @Test
    void aCatchAllVpnRuleTakesEverythingAndOnlyTheContainerIsTakenBack() {
        try (HandBuilt t = HandBuilt.create(true, true, true)) {
            t.ip("-n", t.host, "-6", "route", "add", HandBuilt.CTR_IP6, "dev", "mv-shim");
            t.in(t.host, "sysctl", "-q", "-w", "net.ipv6.conf.mv-shim.proxy_ndp=1",
                    "net.ipv6.conf.mv-shim.forwarding=1", "net.ipv6.neigh.mv-shim.proxy_delay=0");
            t.ip("-n", t.host, "-6", "neigh", "add", "proxy", HandBuilt.HOST_IP6, "dev", "mv-shim");
            t.addSecondParent("tun52");
            t.ip("-n", t.host, "route", "add", "default", "dev", "tun52", "table", "52");
            t.ip("-n", t.host, "-6", "route", "add", "default", "dev", "tun52", "table", "52");
            t.ip("-n", t.host, "rule", "add", "priority", "5270", "lookup", "52");
            t.ip("-n", t.host, "-6", "rule", "add", "priority", "5270", "lookup", "52");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString())
                    .containsExactly("policy-route", "policy-route");
            assertThat(DiagnoseIT.fixes(rep)).containsExactly(
                    "ip -n " + t.host + " rule add priority 5269 to " + HandBuilt.CTR_IP + " lookup main",
                    "ip -n " + t.host + " -6 rule add priority 5269 to " + HandBuilt.CTR_IP6 + " lookup main");
            mendAndVerify(t, rep);
            assertThat(Cli.exec("ip", "-n", t.host, "route", "get", "10.99.0.1").out())
                    .as("other traffic still goes through the tunnel").contains("dev tun52");
        }
    }

    /** nft's arp family drops ARP requests on input: named from the rules and from the kernel's drop. */
    @Test
    void anArpFamilyRuleIsNamedAndAnAcceptGoesBeforeIt() {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, true)) {
            t.in(t.host, "nft", "add", "table", "arp", "guard");
            t.in(t.host, "nft", "add chain arp guard in { type filter hook input priority 0 ; policy accept ; }");
            t.in(t.host, "nft", "add", "rule", "arp", "guard", "in", "arp", "operation", "request", "drop");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("host-firewall");
            Map<String, Object> d = HandBuiltDiagnoseIT.diagnosis(rep, "host-firewall");
            assertThat(d.get("facts").toString()).contains("nft table arp guard, chain in");
            assertThat(kernel(d)).anyMatch(k -> "NETFILTER_DROP".equals(k.get("reason"))
                    && ((Number) k.get("protocol")).intValue() == 0x0806);
            assertThat(DiagnoseIT.fixes(rep)).singleElement().asString().contains("nft insert rule arp guard in")
                    .contains("iifname mvl.shim arp saddr ip " + t.n.ctrIp() + " accept");
            mendAndVerify(t, rep);
        }
    }

    /** The container's own nft drops its ARP requests on output, and a netdev rule on the shim drops its IP. */
    @Test
    void rulesOfOtherFamiliesOnEitherSide() {
        try (HandBuilt t = HandBuilt.create()) {
            t.in(t.ctr, "nft", "add", "table", "arp", "f");
            t.in(t.ctr, "nft", "add chain arp f out { type filter hook output priority 0 ; policy accept ; }");
            t.in(t.ctr, "nft", "add", "rule", "arp", "f", "out", "arp", "daddr", "ip", HandBuilt.HOST_IP, "drop");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("host-firewall");
            assertThat(DiagnoseIT.fixes(rep)).singleElement().asString().startsWith("ip netns exec " + t.ctr + " nft")
                    .contains("oifname app0 arp daddr ip " + HandBuilt.HOST_IP + " accept");
            mendAndVerify(t, rep);

            t.in(t.host, "nft", "add", "table", "netdev", "edge");
            t.in(t.host, "nft", "add chain netdev edge in { type filter hook ingress device mv-shim priority 0 ; }");
            t.in(t.host, "nft", "add", "rule", "netdev", "edge", "in", "ip", "saddr", HandBuilt.CTR_IP, "drop");
            Map<String, Object> rep2 = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep2)).as(rep2.get("_text").toString()).containsExactly("host-firewall");
            assertThat(DiagnoseIT.fixes(rep2)).singleElement().asString().contains("nft insert rule netdev edge in");
            mendAndVerify(t, rep2);
        }
    }

    /**
     * The usual IPv6 recipe (route, proxy_ndp, forwarding, proxy entry) with the kernel's proxy_delay left alone:
     * a proxied answer may take up to 0.8 s. The probe waits that long and says so; the healthy host passes, run
     * after run.
     */
    @Test
    void theUsualIpv6RecipeWithTheKernelsProxyDelayPasses() {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, true, true)) {
            String shim = "net/ipv6/conf/mvl.shim/";
            t.ip("-n", t.host, "-6", "route", "add", t.n.ctrIp6(), "dev", "mvl.shim");
            t.in(t.host, "sysctl", "-q", "-w", shim + "proxy_ndp=1", shim + "forwarding=1");
            t.ip("-n", t.host, "-6", "neigh", "add", "proxy", t.n.hostIp6(), "dev", "mvl.shim");
            assertThat(t.sysctl(t.host, "net/ipv6/neigh/mvl.shim/proxy_delay")).isEqualTo(80);
            assertThat(t.ping(t.ctr, t.n.hostIp6())).as("ping -6 works").isTrue();
            for (int i = 0; i < 5; i++) {
                Cli.Result v = Cli.tool(t.target("verify"));
                assertThat(v.exit()).as("run " + i + ": " + v).isZero();
                assertThat(v.out()).contains("proxy_delay=80, the kernel's default");
            }
        }
    }

    /** disable_ipv6 on the shim: enabled on the shim alone, with the route and proxy entry it took away. */
    @Test
    void ipv6DisabledOnTheShimIsEnabledThereAlone() {
        try (HandBuilt t = HandBuilt.create(true, true, true)) {
            assertThat(Cli.tool(t.target("setup")).exit()).isZero();
            t.in(t.host, "sysctl", "-q", "-w", "net.ipv6.conf.mv-shim.disable_ipv6=1");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("ipv6-disabled");
            assertThat(DiagnoseIT.fixes(rep)).first().isEqualTo("ip netns exec " + t.host
                    + " sysctl -w net.ipv6.conf.mv-shim.disable_ipv6=0");
            mendAndVerify(t, rep);
            assertThat(t.sysctl(t.host, "net.ipv6.conf.all.disable_ipv6")).isZero();
            assertThat(Cli.tool(t.target("teardown")).exit()).isZero();
        }
    }

    /** Without tracefs the run says so once and diagnoses from facts and frames as before. */
    @Test
    void withoutTracefsOneNoteAndTheSameDiagnosis() throws Exception {
        try (HandBuilt t = HandBuilt.create()) {
            t.ip("-n", t.host, "route", "del", HandBuilt.CTR_IP, "dev", "mv-shim");
            Path none = Files.createDirectory(dir.resolve("no-tracefs"));
            Path json = dir.resolve("n.json");
            Cli.Result r = Cli.tool(Map.of("MVD_TRACEFS", none.toString()), t.target("diagnose", "--report-json",
                    json.toString()));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            Map<String, Object> rep = Json.read(json);
            assertThat(DiagnoseIT.causes(rep)).containsExactly("no-route");
            assertThat(Json.strings(rep, "notes")).filteredOn(n -> n.contains("kernel's decisions were not recorded"))
                    .hasSize(1);
            assertThat(r.err()).doesNotContain("Exception");
        }
    }

    /**
     * Runs leave no trace instance and no tracefs mount of theirs behind: every one left is named after a process
     * that is still running (another test's, at this moment).
     */
    @Test
    void tracingLeavesNothingBehind() throws Exception {
        try (HandBuilt t = HandBuilt.create()) {
            assertThat(Cli.tool(t.target("verify")).exit()).isZero();
            t.ip("-n", t.host, "route", "del", HandBuilt.CTR_IP, "dev", "mv-shim");
            assertThat(Cli.tool(t.target("diagnose")).exit()).isEqualTo(1);
        }
        assertThat(Tracing.leftovers()).isEmpty();
    }
}
