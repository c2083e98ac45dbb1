package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IPv6 on hand-built dual-stack namespaces (2001:db8:77::/64, names unlike the lab's), judged by iputils ping -6 as
 * well as by the tool: the kernel's behaviour (docs/kernel-behaviour.md), the seed's recipe failing with ndp-proxy,
 * the printed fix, setup and teardown.
 */
@RootOnly
class Ipv6IT {
    @TempDir
    Path dir;

    /**
     * The host-side rows of the IPv6 table in docs/kernel-behaviour.md, measured with ping -6 (neighbours flushed,
     * proxy_delay left at the kernel's default).
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "route only (the seed's recipe)          | false | false",
        "route + forwarding                      | false | false",
        "route + forwarding + proxy_ndp          | false | false",
        "route + forwarding + proxy_ndp + entry  | true  | true",
        "route + proxy_ndp + entry, no forwarding | false | false"})
    void theKernelsIpv6Table(String row, boolean hostToCtr, boolean ctrToHost) {
        try (HandBuilt t = HandBuilt.create(false, true, true)) {
            t.ip("-n", t.host, "-6", "route", "add", HandBuilt.CTR_IP6, "dev", "mv-shim");
            if (row.contains("forwarding") && !row.contains("no forwarding")) {
                t.in(t.host, "sysctl", "-q", "-w", "net.ipv6.conf.mv-shim.forwarding=1");
            }
            if (row.contains("proxy_ndp")) {
                t.in(t.host, "sysctl", "-q", "-w", "net.ipv6.conf.mv-shim.proxy_ndp=1");
            }
            if (row.contains("entry")) {
                t.ip("-n", t.host, "-6", "neigh", "add", "proxy", HandBuilt.HOST_IP6, "dev", "mv-shim");
            }
            assertThat(t.ping(t.host, HandBuilt.CTR_IP6)).as("host -> container").isEqualTo(hostToCtr);
            assertThat(t.ping(t.ctr, HandBuilt.HOST_IP6)).as("container -> host").isEqualTo(ctrToHost);
        }
    }

    /** The shim with an IPv6 address of its own: the container reaches that address, not the host's. */
    @Test
    void aShimAddressOfItsOwnServesOnlyItself() {
        try (HandBuilt t = HandBuilt.create(false, true, true)) {
            t.ip("-n", t.host, "addr", "add", "2001:db8:77::fe/128", "dev", "mv-shim", "nodad");
            t.ip("-n", t.host, "-6", "route", "add", HandBuilt.CTR_IP6, "dev", "mv-shim", "src", "2001:db8:77::fe");
            assertThat(t.ping(t.host, HandBuilt.CTR_IP6)).isTrue();
            assertThat(t.ping(t.ctr, "2001:db8:77::fe")).isTrue();
            assertThat(t.ping(t.ctr, HandBuilt.HOST_IP6)).isFalse();
        }
    }

    /** The seed's recipe on a dual-stack target: IPv4 passes, IPv6 fails with ndp-proxy; its fix mends it. */
    @Test
    void theSeedsRecipeFailsForIpv6AndThePrintedFixMendsIt() {
        try (HandBuilt t = HandBuilt.create(true, true, true)) {
            t.ip("-n", t.host, "-6", "route", "add", HandBuilt.CTR_IP6, "dev", "mv-shim");
            Path json = dir.resolve("d.json");
            Cli.Result r = Cli.tool(t.target("diagnose", "--report-json", json.toString()));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            Map<String, Object> rep = Json.read(json);
            assertThat(DiagnoseIT.causes(rep)).as(r.toString()).containsExactly("ndp-proxy");
            Map<String, Object> d = Json.list(rep, "diagnosis").get(0);
            assertThat(d.get("family")).isEqualTo("6");
            assertThat(d.get("summary").toString()).contains("proxy_ndp on mv-shim").contains("forwarding on mv-shim")
                    .contains("a proxy entry for " + HandBuilt.HOST_IP6);
            assertThat(Json.check(rep, "container-to-host.arp-flux").get("status")).isEqualTo("pass");
            assertThat(Json.check(rep, "ipv6.container-to-host.ndp-proxy").get("status")).isEqualTo("fail");
            DiagnoseIT.fixes(rep).forEach(DiagnoseIT::runAsPrinted);
            Cli.Result v = Cli.tool(t.target("verify"));
            assertThat(v.exit()).as(v.toString()).isZero();
            assertThat(t.ping(t.host, HandBuilt.CTR_IP6)).isTrue();
            assertThat(t.ping(t.ctr, HandBuilt.HOST_IP6)).isTrue();
            assertThat(t.sysctl(t.host, "net.ipv6.conf.all.forwarding")).as("forwarding stays per interface").isZero();
        }
    }

    /** setup on a bare dual-stack target: both families pass, ping -6 agrees, teardown leaves everything as before. */
    @Test
    void setupOnABareDualStackTargetAndTeardown() {
        try (HandBuilt t = HandBuilt.create(true, true, false)) {
            String before = t.hostState();
            assertThat(t.ping(t.host, HandBuilt.CTR_IP6)).isFalse();
            Cli.Result s = Cli.tool(t.target("setup", "--parent", "uplink0"));
            assertThat(s.exit()).as(s.toString()).isZero();
            assertThat(s.out()).contains("proxy_ndp=1").contains("forwarding=1").contains("proxy_delay=0")
                    .contains("neigh add proxy " + HandBuilt.HOST_IP6);
            Path json = dir.resolve("v.json");
            Cli.Result v = Cli.tool(t.target("verify", "--report-json", json.toString()));
            assertThat(v.exit()).as(v.toString()).isZero();
            Map<String, Object> rep = Json.read(json);
            assertThat(Json.list(rep, "checks")).extracting(c -> c.get("id"))
                    .contains("host-to-container.icmp", "ipv6.host-to-container.icmp", "ipv6.path.stays-on-host");
            assertThat(t.ping(t.host, HandBuilt.CTR_IP6)).isTrue();
            assertThat(t.ping(t.ctr, HandBuilt.HOST_IP6)).isTrue();
            assertThat(t.ping(t.ctr, HandBuilt.HOST_IP)).isTrue();

            Cli.Result down = Cli.tool("teardown", "--host-netns", t.host);
            assertThat(down.exit()).as(down.toString()).isZero();
            assertThat(t.hostState()).isEqualTo(before);
        }
    }

    /** An existing shim carrying the IPv4 route: setup adds the IPv6 recipe, teardown sets each sysctl back. */
    @Test
    void setupOnTheSeedsShimAddsIpv6AndTeardownRestoresItsSysctls() {
        try (HandBuilt t = HandBuilt.create(true, true, true)) {
            // Two digits: a sysctl file answers only a read from its start (a reader taking one byte first gets "5").
            t.in(t.host, "sysctl", "-q", "-w", "net.ipv6.neigh.mv-shim.proxy_delay=50");
            String before = t.hostState();
            Cli.Result s = Cli.tool(t.target("setup"));
            assertThat(s.exit()).as(s.toString()).isZero();
            assertThat(s.out()).doesNotContain("link add");
            assertThat(Cli.tool(t.target("verify")).exit()).isZero();
            assertThat(Cli.tool("teardown", "--host-netns", t.host).exit()).isZero();
            assertThat(t.hostState()).isEqualTo(before);
            assertThat(t.sysctl(t.host, "net.ipv6.neigh.mv-shim.proxy_delay")).isEqualTo(50);
        }
    }

    /** A container with IPv6 only is verified on IPv6 alone; --family narrows a dual-stack run. */
    @Test
    void anIpv6OnlyContainerAndTheFamilyOption() {
        try (HandBuilt t = HandBuilt.create(false, true, false)) {
            assertThat(Cli.tool(t.target("setup", "--parent", "uplink0")).exit()).isZero();
            Path json = dir.resolve("6.json");
            Cli.Result v = Cli.tool(t.target("verify", "--report-json", json.toString()));
            assertThat(v.exit()).as(v.toString()).isZero();
            List<Object> ids = Json.list(Json.read(json), "checks").stream().map(c -> c.get("id")).map(Object.class::cast)
                    .toList();
            assertThat(ids).isNotEmpty().allMatch(id -> id.toString().startsWith("ipv6."));
            Cli.Result four = Cli.tool(t.target("verify", "--family", "4"));
            assertThat(four.exit()).as(four.toString()).isEqualTo(3);
            assertThat(four.err().strip().lines()).hasSize(1);
            assertThat(Cli.tool("teardown", "--host-netns", t.host).exit()).isZero();
        }
        try (HandBuilt t = HandBuilt.create(true, true, false)) {
            assertThat(Cli.tool(t.target("setup", "--parent", "uplink0", "--family", "4")).exit()).isZero();
            Path json = dir.resolve("4.json");
            Cli.Result v = Cli.tool(t.target("verify", "--family", "4", "--report-json", json.toString()));
            assertThat(v.exit()).as(v.toString()).isZero();
            assertThat(Json.list(Json.read(json), "checks")).extracting(c -> c.get("id").toString())
                    .noneMatch(id -> id.startsWith("ipv6."));
            assertThat(Cli.tool("teardown", "--host-netns", t.host).exit()).isZero();
        }
    }
}
