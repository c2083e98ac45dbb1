package io.macvlandoctor.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Judge;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.ParentNic;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Sysctl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per cause: a recorded capture of the lab (with its kernel facts changed where a cause needs facts the lab
 * does not make), the causes diagnosed, and the fix printed. Adding a cause is one class, one troubleshooting
 * section and one row here; a cause without a row fails the test.
 */
class RulesTest {
    static final IpAddress CTR = IpAddress.parse("192.168.136.240");

    record Row(Cause cause, Supplier<List<Diagnosis>> diagnose, List<String> causes, List<String> fix) {
        @Override
        public String toString() {
            return cause.code();
        }
    }

    static List<Diagnosis> lab(String capture, UnaryOperator<KernelFacts> facts) {
        Recorded r = Recorded.load(capture);
        Judge.Judgement j = Judge.judge(r.topology(), r.coverage(), r.frames(), null, r.outcomes());
        return Diagnoser.diagnose(new Context(facts.apply(r.kernel()), j.runs(), Set.of(), Set.of()));
    }

    static String host(String capture) {
        return Recorded.load(capture).kernel().hostNs().ref();
    }

    static Row row(Cause c, String capture, UnaryOperator<KernelFacts> facts, List<String> causes, String... fix) {
        String h = host(capture);
        return new Row(c, () -> lab(capture, facts), causes, Arrays.stream(fix).map(x -> x.replace("HOST", h))
                .toList());
    }

    static Row row(Cause c, String capture, String... fix) {
        return row(c, capture, k -> k, List.of(c.code()), fix);
    }

    /** The main table routes the container through the shim; rule 77 sends the lookup to table 77 and the parent. */
    static KernelFacts vpnRule(KernelFacts k) {
        List<Route> routes = new ArrayList<>(k.hostRoutes());
        routes.add(new Route(Cidr.host(CTR), "macvlan0-host", null, null, "link"));
        routes.add(new Route(Cidr.host(CTR), "ens33", null, null, "link", null, null, "77"));
        List<PolicyRule> rules = List.of(
                new PolicyRule(Family.V4, 0, "all", null, null, null, null, "local", "lookup", false, null),
                new PolicyRule(Family.V4, 77, "all", Cidr.host(CTR), null, null, null, "77", "lookup", false, null),
                new PolicyRule(Family.V4, 32766, "all", null, null, null, null, "main", "lookup", false, null));
        return k.toBuilder().hostRoutes(routes).rules(rules).hostToContainer(Map.of(Family.V4,
                new RouteLookup(CTR.toString(), "ens33", "192.168.136.130", null, "77"))).build();
    }

    /** The host's route goes through the shim, but a permanent entry names an old MAC for the container. */
    static KernelFacts staleEntry(KernelFacts k) {
        List<Neighbour> n = new ArrayList<>(k.neighbours());
        n.add(new Neighbour(Side.HOST, CTR, "macvlan0-host", "02:00:00:00:00:01", "PERMANENT", false));
        return k.toBuilder().neighbours(n).hostToContainer(Map.of(Family.V4,
                new RouteLookup(CTR.toString(), "macvlan0-host", "192.168.136.130", null, "main"))).build();
    }

    /** The recorded parent as another NIC: a driver, Wi-Fi or not, a bond mode; nothing holds it promiscuous. */
    static KernelFacts nic(KernelFacts k, String driver, boolean wireless, String bondMode) {
        return k.toBuilder().parentNic(new ParentNic(driver, wireless, false, false, 0, bondMode)).build();
    }

    static Stream<Row> rows() {
        String ctrMac = Recorded.load("no-route").kernel().containerIface().mac();
        DockerNetwork net = new DockerNetwork("lan", "n1", "macvlan", "ens33", "bridge", List.of(new DockerNetwork.Pool(
                Cidr.parse("192.168.136.0/24"), "192.168.136.2", Cidr.parse("192.168.136.240/28"), Map.of())), List.of());
        return Stream.of(
                row(Cause.NO_SHIM, "no-shim", "ip -n HOST link add link ens33 name macvlan0-host type macvlan mode "
                        + "bridge", "ip -n HOST link set macvlan0-host up", "ip -n HOST route add 192.168.136.240 dev "
                        + "macvlan0-host"),
                row(Cause.SHIM_DOWN, "shim-down", "ip -n HOST link set macvlan0-host up",
                        "ip -n HOST route add 192.168.136.240 dev macvlan0-host"),
                row(Cause.SHIM_MODE, "shim-mode-private", "ip -n HOST link del macvlan0-host",
                        "ip -n HOST link add link ens33 name macvlan0-host type macvlan mode bridge",
                        "ip -n HOST link set macvlan0-host up",
                        "ip -n HOST route add 192.168.136.240 dev macvlan0-host"),
                row(Cause.SHIM_PARENT, "shim-parent",
                        "ip -n HOST link add link ens33 name macvlan1-host type macvlan mode bridge",
                        "ip -n HOST link set macvlan1-host up",
                        "ip -n HOST route replace 192.168.136.240 dev macvlan1-host"),
                row(Cause.POLICY_ROUTE, "no-route", RulesTest::vpnRule, List.of("policy-route"),
                        "ip -n HOST rule add priority 76 to 192.168.136.240 lookup main"),
                row(Cause.NO_ROUTE, "no-route", "ip -n HOST route add 192.168.136.240 dev macvlan0-host"),
                row(Cause.ROUTE_MISMATCH, "route-mismatch", "ip -n HOST route del 192.168.136.140 dev macvlan0-host",
                        "ip -n HOST route add 192.168.136.240 dev macvlan0-host"),
                row(Cause.ARP_IGNORE, "arp-ignore", k -> k, List.of("arp-ignore"),
                        "ip netns exec HOST sysctl -w net.ipv4.conf.ens33.arp_ignore=1",
                        "ip netns exec HOST sysctl -w net.ipv4.conf.all.arp_ignore=0"),
                row(Cause.ARP_FILTER, "arp-filter-route-mismatch", k -> k, List.of("route-mismatch", "arp-filter"),
                        "ip -n HOST route del 192.168.136.140 dev macvlan0-host",
                        "ip -n HOST route add 192.168.136.240 dev macvlan0-host"),
                row(Cause.RP_FILTER, "rp-filter-route-mismatch", k -> k, List.of("route-mismatch", "rp-filter"),
                        "ip -n HOST route del 192.168.136.140 dev macvlan0-host",
                        "ip -n HOST route add 192.168.136.240 dev macvlan0-host"),
                row(Cause.NDP_PROXY, "ndp-proxy",
                        "ip netns exec HOST sysctl -w net.ipv6.conf.macvlan0-host.proxy_ndp=1",
                        "ip netns exec HOST sysctl -w net.ipv6.conf.macvlan0-host.forwarding=1",
                        "ip netns exec HOST sysctl -w net.ipv6.neigh.macvlan0-host.proxy_delay=0",
                        "ip -n HOST -6 neigh add proxy fd00:136::130 dev macvlan0-host"),
                row(Cause.NEIGHBOUR_ENTRY, "no-route", RulesTest::staleEntry, List.of("neighbour-entry"),
                        "ip -n HOST neigh replace 192.168.136.240 lladdr " + ctrMac + " dev macvlan0-host nud "
                                + "permanent"),
                row(Cause.IPV6_DISABLED, "ndp-proxy", k -> k.toBuilder().sysctl(Map.of(Sysctl.conf6("macvlan0-host",
                        "disable_ipv6"), 1)).build(), List.of("ipv6-disabled"),
                        "ip netns exec HOST sysctl -w net.ipv6.conf.macvlan0-host.disable_ipv6=0",
                        "ip -n HOST -6 neigh add proxy fd00:136::130 dev macvlan0-host"),
                row(Cause.HOST_FIREWALL, "host-firewall", "ip netns exec HOST iptables -t filter -I INPUT 1 -i "
                        + "macvlan0-host -s 192.168.136.240 -j ACCEPT"),
                row(Cause.IP_CONFLICT, "ip-conflict"),
                row(Cause.PARENT_DOWN, "parent-down", "ip -n HOST link set ens33 up"),
                row(Cause.CONTAINER_DOWN, "no-route", k -> k.toBuilder().containerIface(null).build(),
                        List.of("container-down")),
                new Row(Cause.NOT_MACVLAN, () -> List.of(NotMacvlan.of("web", List.of(new DockerNetwork("bridge", "n2",
                        "bridge", null, null, List.of(), List.of())))), List.of("not-macvlan"), List.of()),
                new Row(Cause.NETWORK_PARENT, () -> List.of(NetworkParent.of(net, Netns.CURRENT)),
                        List.of("network-parent"), List.of()),
                row(Cause.NETWORK_MODE, "no-route", k -> k.toBuilder().containerIface(new io.macvlandoctor.model.Link(
                        9, "eth0", ctrMac, true, "UP", "macvlan", "vepa", 2, 0, List.of())).build(),
                        List.of("network-mode")),
                new Row(Cause.IPAM_OVERLAP, () -> IpamOverlap.hazards(new io.macvlandoctor.model.Link(5,
                        "macvlan0-host", "9e:00:00:00:00:01", true, "UP", "macvlan", "bridge", 2, -1,
                        List.of(Cidr.parse("192.168.136.241/32"))), net), List.of("ipam-overlap"), List.of()),
                row(Cause.LAN_MAC_FILTERED, "lan-mac-filtered"),
                row(Cause.LAN_PEER_SILENT, "lan-peer-silent"),
                row(Cause.PARENT_NOT_PROMISC, "lan-mac-filtered", k -> nic(k, "vmxnet3", false, null),
                        List.of("parent-not-promisc"), "ip -n HOST link set ens33 promisc on"),
                row(Cause.PARENT_WIRELESS, "lan-mac-filtered", k -> nic(k, "iwlwifi", true, null),
                        List.of("parent-wireless")),
                row(Cause.BOND_MAC_REWRITE, "lan-mac-filtered", k -> nic(k, "bonding", false, "balance-alb"),
                        List.of("bond-mac-rewrite")),
                row(Cause.UNEXPLAINED, "arp-ignore", k -> k.toBuilder().sysctl(Map.of(Sysctl.conf4("all",
                        "arp_ignore"), 0)).build(), List.of("unexplained")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachCauseIsNamedWithItsFix(Row row) {
        List<Diagnosis> d = row.diagnose().get();
        assertThat(d.stream().map(x -> x.cause().code()).toList()).as(row.toString()).isEqualTo(row.causes());
        List<String> fix = new ArrayList<>();
        d.forEach(x -> fix.addAll(x.fixCommands()));
        assertThat(fix).as(row + " fix").isEqualTo(row.fix());
        assertThat(Rules.of(row.cause()).cause()).isEqualTo(row.cause());
    }

    @Test
    void everyCauseHasItsRuleAndItsRow() {
        assertThat(rows().map(Row::cause)).containsExactlyInAnyOrder(Cause.values());
        assertThat(Rules.ALL.stream().map(Rule::cause)).containsExactlyInAnyOrder(Cause.values());
    }
}
