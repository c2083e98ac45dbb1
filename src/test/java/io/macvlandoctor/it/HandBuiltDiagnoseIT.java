package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cause on topologies the lab does not make (other names and addresses, a second container, a second parent,
 * per-interface sysctls, nft and iptables rules, tc): diagnose names it, and its fix, run exactly as printed, mends
 * the path without changing anything the cause did not need.
 */
@RootOnly
class HandBuiltDiagnoseIT {
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

    static Map<String, Object> diagnosis(Map<String, Object> rep, String cause) {
        return Json.list(rep, "diagnosis").stream().filter(d -> cause.equals(d.get("cause"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + cause + " in " + rep.get("_text")));
    }

    static void fixAndVerify(HandBuilt t, Map<String, Object> rep) {
        DiagnoseIT.fixes(rep).forEach(DiagnoseIT::runAsPrinted);
        Cli.Result v = Cli.tool(t.target("verify"));
        assertThat(v.exit()).as("after the printed fix: " + v).isZero();
    }

    @Test
    void sysctlsOnTheShimItselfAndAMistypedRoute() {
        try (HandBuilt t = HandBuilt.create()) {
            t.sysctl(t.host, "mv-shim", "arp_ignore", 2);
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("arp-ignore");
            Map<String, Object> d = diagnosis(rep, "arp-ignore");
            assertThat((String) d.get("summary")).startsWith("net.ipv4.conf.mv-shim.arp_ignore=2");
            assertThat(d.get("fix")).isEqualTo(List.of(
                    "ip netns exec " + t.host + " sysctl -w net.ipv4.conf.mv-shim.arp_ignore=0"));
            fixAndVerify(t, rep);

            t.sysctl(t.host, "mv-shim", "rp_filter", 1);
            t.ip("-n", t.host, "route", "del", HandBuilt.CTR_IP, "dev", "mv-shim");
            t.ip("-n", t.host, "route", "add", "10.20.5.1", "dev", "mv-shim");
            Map<String, Object> rep2 = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep2)).containsExactly("route-mismatch", "rp-filter");
            assertThat(diagnosis(rep2, "rp-filter").get("curedBy")).isEqualTo("route-mismatch");
            fixAndVerify(t, rep2);
            assertThat(t.sysctl(t.host, "net.ipv4.conf.mv-shim.rp_filter")).as("rp_filter stays strict").isEqualTo(1);
        }
    }

    /** A route one typo away that belongs to a live neighbour is its route, not a typo: it stays, and keeps working. */
    @Test
    void aNeighboursRouteIsNeverTakenForATypo() {
        try (HandBuilt t = HandBuilt.create()) {
            String second = t.addContainer("10.20.5.1");
            t.ip("-n", t.host, "route", "add", "10.20.5.1", "dev", "mv-shim");
            t.ip("-n", t.host, "route", "del", HandBuilt.CTR_IP, "dev", "mv-shim");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("no-route");
            assertThat(DiagnoseIT.fixes(rep)).noneMatch(c -> c.contains("10.20.5.1"));
            fixAndVerify(t, rep);
            assertThat(Cli.inNs(t.host, "ip", "route", "show").out()).contains("10.20.5.1 dev mv-shim");
            assertThat(Cli.inNs(t.host, "ping", "-n", "-c", "1", "-W", "1", "10.20.5.1").exit())
                    .as("the neighbour still answers through the shim").isZero();
            assertThat(Cli.inNs(second, "ping", "-n", "-c", "1", "-W", "1", HandBuilt.HOST_IP).exit()).isZero();
        }
    }

    /** arp_ignore=1 on all: the fix lowers all and keeps the effective value of every other interface. */
    @Test
    void arpIgnoreOnAllKeepsEveryOtherInterfacesValue() {
        try (HandBuilt t = HandBuilt.create()) {
            t.addSecondParent();
            t.sysctl(t.host, "all", "arp_ignore", 1);
            t.sysctl(t.host, "uplink1", "arp_ignore", 2);
            Map<String, Integer> before = effectiveArpIgnore(t);
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).containsExactly("arp-ignore");
            fixAndVerify(t, rep);
            Map<String, Integer> after = effectiveArpIgnore(t);
            assertThat(after.remove("mv-shim")).isZero();
            before.remove("mv-shim");
            assertThat(after).isEqualTo(before);
        }
    }

    /** max(all, interface) for every interface of the host namespace that does ARP (not loopback). */
    static Map<String, Integer> effectiveArpIgnore(HandBuilt t) {
        int all = t.sysctl(t.host, "net.ipv4.conf.all.arp_ignore");
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String dev : Cli.inNs(t.host, "ls", "/proc/sys/net/ipv4/conf").out().split("\\s+")) {
            if (!dev.isBlank() && !dev.equals("all") && !dev.equals("default") && !dev.equals("lo")) {
                m.put(dev, Math.max(all, t.sysctl(t.host, "net.ipv4.conf." + dev + ".arp_ignore")));
            }
        }
        return m;
    }

    /** An nft rule on the host drops the container's echo requests: named, an accept goes before it, it stays. */
    @Test
    void anNftRuleOnTheHost() {
        try (HandBuilt t = HandBuilt.create()) {
            t.in(t.host, "nft", "add table inet hostfw");
            t.in(t.host, "nft", "add chain inet hostfw input { type filter hook input priority 0 ; policy accept ; }");
            t.in(t.host, "nft", "add rule inet hostfw input ip saddr 10.20.0.0/16 icmp type echo-request drop");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("host-firewall");
            Map<String, Object> d = diagnosis(rep, "host-firewall");
            assertThat(d.get("facts").toString()).contains("nft").contains("inet hostfw").contains("input");
            assertThat((List<?>) d.get("fix")).hasSize(1);
            fixAndVerify(t, rep);
            assertThat(t.in(t.host, "nft", "list", "ruleset").out()).contains("icmp type echo-request drop");
        }
    }

    /** An iptables rule in the container drops its echo replies: the host's ping fails, the rule is named. */
    @Test
    void anIptablesRuleInTheContainer() {
        try (HandBuilt t = HandBuilt.create()) {
            t.in(t.ctr, "iptables", "-A", "OUTPUT", "-p", "icmp", "--icmp-type", "echo-reply", "-j", "DROP");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("host-firewall");
            Map<String, Object> d = diagnosis(rep, "host-firewall");
            assertThat(d.get("facts").toString()).contains("container").contains("OUTPUT");
            // iptables-nft shows the rule to nft as well: one rule, one fix.
            assertThat((List<?>) d.get("fix")).hasSize(1);
            fixAndVerify(t, rep);
        }
    }

    @Test
    void echoIgnoredInTheContainer() {
        try (HandBuilt t = HandBuilt.create()) {
            t.in(t.ctr, "sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=1");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("host-firewall");
            fixAndVerify(t, rep);
        }
    }

    /** A shim on another parent carries the route: named, the route moves to a shim on the right parent. */
    @Test
    void aShimOnTheWrongParent() {
        try (HandBuilt t = HandBuilt.create()) {
            t.addSecondParent();
            t.ip("-n", t.host, "link", "del", "mv-shim");
            t.ip("-n", t.host, "link", "add", "link", "uplink1", "name", "mv-wrong", "type", "macvlan", "mode",
                    "bridge");
            t.ip("-n", t.host, "link", "set", "mv-wrong", "up");
            t.ip("-n", t.host, "route", "add", HandBuilt.CTR_IP, "dev", "mv-wrong");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("shim-parent");
            assertThat(diagnosis(rep, "shim-parent").get("summary").toString()).contains("mv-wrong")
                    .contains("uplink1");
            fixAndVerify(t, rep);
            assertThat(Cli.inNs(t.host, "ip", "link", "show", "mv-wrong").exit()).as("left in place").isZero();
        }
    }

    /** The container's own macvlan in VEPA mode: no shim can reach it; named, with what to do in notes. */
    @Test
    void aContainerInterfaceNotInBridgeMode() {
        try (HandBuilt t = HandBuilt.create()) {
            t.ip("-n", t.ctr, "link", "del", "app0");
            t.ip("-n", t.host, "link", "add", "link", "uplink0", "name", "tmpv", "netns", t.ctr, "type", "macvlan",
                    "mode", "vepa");
            t.ip("-n", t.ctr, "link", "set", "tmpv", "name", "app0");
            t.ip("-n", t.ctr, "addr", "add", HandBuilt.CTR_IP + "/16", "dev", "app0");
            t.ip("-n", t.ctr, "link", "set", "app0", "up");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("network-mode");
            Map<String, Object> d = diagnosis(rep, "network-mode");
            assertThat(d.get("summary").toString()).contains("vepa");
            assertThat((List<?>) d.get("fix")).isEmpty();
            assertThat((List<?>) d.get("notes")).isNotEmpty();
        }
    }

    /** The LAN peer holds the container's address too. */
    @Test
    void anotherDeviceWithTheContainersAddress() {
        try (HandBuilt t = HandBuilt.create()) {
            t.ip("-n", t.peer, "addr", "add", HandBuilt.CTR_IP + "/16", "dev", "far0");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).contains("ip-conflict");
            Map<String, Object> d = diagnosis(rep, "ip-conflict");
            assertThat((List<?>) d.get("fix")).isEmpty();
            assertThat(d.get("summary").toString()).contains(Json.macOf(t.peer, "far0"));
        }
    }

    /**
     * Something no rule knows (a permanent neighbour entry sends the host's frames for the container to a MAC nobody
     * has): unexplained, with where the path stops and the facts that show it, never a guessed cause.
     */
    /**
     * A static neighbour entry naming a MAC nobody has (the container made again): the host's frames go to the old
     * MAC. Named, and its printed fix keeps the entry permanent with the container's MAC; then the same in the
     * container, for the host's address and an old shim's MAC.
     */
    @Test
    void aStaticNeighbourEntryForAnOldMacIsNamedAndMendedAsPrinted() {
        try (HandBuilt t = HandBuilt.create()) {
            t.ip("-n", t.host, "neigh", "replace", HandBuilt.CTR_IP, "lladdr", "02:00:5e:10:20:99", "dev", "mv-shim",
                    "nud", "permanent");
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("neighbour-entry");
            Map<String, Object> d = diagnosis(rep, "neighbour-entry");
            assertThat(d.get("summary").toString()).contains("02:00:5e:10:20:99").contains("permanent");
            String mac = t.mac(t.ctr, "app0");
            assertThat(DiagnoseIT.fixes(rep)).containsExactly("ip -n " + t.host + " neigh replace " + HandBuilt.CTR_IP
                    + " lladdr " + mac + " dev mv-shim nud permanent");
            fixAndVerify(t, rep);
            assertThat(Cli.inNs(t.host, "ip", "neigh", "show", HandBuilt.CTR_IP).out()).contains(mac)
                    .contains("PERMANENT");

            t.ip("-n", t.ctr, "neigh", "replace", HandBuilt.HOST_IP, "lladdr", "02:00:5e:10:20:01", "dev", "app0",
                    "nud", "permanent");
            Map<String, Object> rep2 = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep2)).as(rep2.get("_text").toString()).containsExactly("neighbour-entry");
            String shimMac = t.mac(t.host, "mv-shim");
            assertThat(DiagnoseIT.fixes(rep2)).containsExactly("ip -n " + t.ctr + " neigh replace " + HandBuilt.HOST_IP
                    + " lladdr " + shimMac + " dev app0 nud permanent");
            fixAndVerify(t, rep2);
        }
    }

    /**
     * The container routes the host's address into a blackhole: no rule knows the container's own routing, so it
     * is unexplained, with where the frames stop and the kernel's last decision (the lookup's error), and nothing
     * is changed.
     */
    @Test
    void whatNoRuleKnowsIsUnexplainedNotGuessed() {
        try (HandBuilt t = HandBuilt.create()) {
            t.ip("-n", t.ctr, "route", "add", "blackhole", HandBuilt.HOST_IP);
            Map<String, Object> rep = diagnose(t, 1);
            assertThat(DiagnoseIT.causes(rep)).as(rep.get("_text").toString()).containsExactly("unexplained");
            Map<String, Object> d = diagnosis(rep, "unexplained");
            assertThat((List<?>) d.get("fix")).isEmpty();
            assertThat(d.get("summary").toString()).contains("container-to-host.icmp");
            assertThat(Cli.inNs(t.ctr, "ip", "route", "show").out()).as("diagnose changes no route")
                    .contains("blackhole " + HandBuilt.HOST_IP);
        }
    }
}
