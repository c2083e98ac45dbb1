package io.macvlandoctor.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Judge;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Ruleset;
import io.macvlandoctor.model.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each rule on frames recorded from the lab, with the kernel facts recorded by the same run, changed where a test
 * needs other facts (a neighbour's route, a setting on the shim alone, a firewall, a vlan parent).
 */
class DiagnoserTest {
    static final IpAddress CTR = IpAddress.parse("192.168.136.240");

    static List<Diagnosis> diagnose(String capture) {
        return diagnose(capture, k -> k, Set.of());
    }

    static List<Diagnosis> diagnose(String capture, UnaryOperator<KernelFacts> change, Set<IpAddress> answering) {
        Recorded r = Recorded.load(capture);
        Judge.Judgement j = Judge.judge(r.topology(), r.coverage(), r.frames(), null, r.outcomes());
        return Diagnoser.diagnose(new Context(change.apply(r.kernel()), j.runs(), Set.of(), answering));
    }

    static List<String> causes(List<Diagnosis> d) {
        return d.stream().map(x -> x.cause().code()).toList();
    }

    static KernelFacts sysctls(KernelFacts k, Map<String, Integer> more) {
        return k.toBuilder().sysctl(more).build();
    }

    static KernelFacts routes(KernelFacts k, List<Route> routes) {
        return k.toBuilder().hostRoutes(routes).build();
    }

    static KernelFacts parent(KernelFacts k, Link parent, List<Link> links) {
        return k.toBuilder().parent(parent).hostLinks(links).build();
    }

    static KernelFacts firewall(KernelFacts k, List<Ruleset> rules) {
        return k.toBuilder().firewall(rules).build();
    }

    static String ns(String capture) {
        return Recorded.load(capture).kernel().hostNs().ref();
    }

    @Test
    void aHealthyPathHasNoCauseWhateverTheSysctls() {
        assertThat(diagnose("healthy", k -> sysctls(k, Map.of(Sysctl.conf4("all", "rp_filter"), 1,
                Sysctl.conf4("all", "arp_filter"), 1, Sysctl.conf4("all", "arp_ignore"), 1)), Set.of())).isEmpty();
        assertThat(diagnose("dual-stack")).isEmpty();
    }

    @Test
    void theArticlesTypoIsNamedWithTheAddressItWasMeantToBe() {
        List<Diagnosis> d = diagnose("route-mismatch");
        String host = ns("route-mismatch");
        assertThat(causes(d)).containsExactly("route-mismatch");
        assertThat(d.get(0).summary()).contains("192.168.136.140").contains("192.168.136.240").contains("typo")
                .contains("left through ens33 (egress on the parent, seen on the wire)");
        assertThat(d.get(0).fixCommands()).containsExactly("ip -n " + host + " route del 192.168.136.140 dev macvlan0-host",
                "ip -n " + host + " route add 192.168.136.240 dev macvlan0-host");
        assertThat(d.get(0).frames()).anyMatch(x -> x.point().name().equals("host:ens33")
                && x.direction() == Direction.OUT && x.kind().isResolution());
    }

    /** One digit apart, but alive: the other container's route, never to be deleted. */
    @Test
    void aLiveNeighboursRouteIsNeverTakenForATypo() {
        List<Diagnosis> d = diagnose("route-mismatch", k -> k, Set.of(IpAddress.parse("192.168.136.140")));
        assertThat(causes(d)).containsExactly("no-route");
        assertThat(d.get(0).fixCommands()).containsExactly("ip -n " + ns("route-mismatch")
                + " route add 192.168.136.240 dev macvlan0-host");
        assertThat(d.get(0).fixCommands()).noneMatch(c -> c.contains("del"));
        assertThat(d.get(0).facts()).anyMatch(f -> f.contains("live neighbour"));
    }

    @Test
    void aRouteToAnUnrelatedAddressIsNoRouteNotATypo() {
        List<Diagnosis> d = diagnose("route-mismatch", k -> routes(k, k.hostRoutes().stream()
                .map(r -> r.dst() != null && r.dst().address().equals(IpAddress.parse("192.168.136.140"))
                        ? new Route(Cidr.parse("192.168.136.17/32"), r.dev(), null, null, "link") : r).toList()),
                Set.of());
        assertThat(causes(d)).containsExactly("no-route");
    }

    @Test
    void arpIgnoreOnAllIsLoweredAndTheOtherInterfacesKeepTheirValue() {
        List<Diagnosis> d = diagnose("arp-ignore");
        String host = ns("arp-ignore");
        assertThat(causes(d)).containsExactly("arp-ignore");
        // The other interfaces keep their value before all is lowered.
        assertThat(d.get(0).fixCommands()).last().isEqualTo("ip netns exec " + host
                + " sysctl -w net.ipv4.conf.all.arp_ignore=0");
        assertThat(d.get(0).fixCommands()).contains("ip netns exec " + host + " sysctl -w net.ipv4.conf.ens33.arp_ignore=1")
                .noneMatch(c -> c.contains("macvlan0-host.arp_ignore") || c.contains(".lo."));
        assertThat(d.get(0).fixCommands()).allMatch(c -> !c.contains("("));
        assertThat(d.get(0).frames()).isNotEmpty().allMatch(x -> x.point().name().equals("host:macvlan0-host"));
        // The same setting on the shim alone, higher: the kernel takes the larger one; only the shim's changes.
        List<Diagnosis> own = diagnose("arp-ignore", k -> sysctls(k, Map.of(Sysctl.conf4("all", "arp_ignore"), 0,
                Sysctl.conf4("macvlan0-host", "arp_ignore"), 2)), Set.of());
        assertThat(own.get(0).summary()).startsWith("net.ipv4.conf.macvlan0-host.arp_ignore=2");
        assertThat(own.get(0).fixCommands()).containsExactly("ip netns exec " + host
                + " sysctl -w net.ipv4.conf.macvlan0-host.arp_ignore=0");
    }

    /** arp_ignore 3 answers for any global address; 4 to 7 are reserved and act as 0: neither is a cause. */
    @Test
    void arpIgnoreValuesThatDoNotBlockAreNotBlamed() {
        for (int v : new int[] {3, 4, 7}) {
            List<Diagnosis> d = diagnose("arp-ignore", k -> sysctls(k, Map.of(Sysctl.conf4("all", "arp_ignore"), v)),
                    Set.of());
            assertThat(causes(d)).as("arp_ignore=" + v).containsExactly("unexplained");
            assertThat(d.get(0).summary()).contains("container-to-host.arp-flux").contains("last seen at");
        }
    }

    @Test
    void filtersThatOnlyMatterWithTheWrongRouteAreCuredByTheRouteFix() {
        List<Diagnosis> d = diagnose("rp-filter-route-mismatch");
        assertThat(causes(d)).containsExactly("route-mismatch", "rp-filter");
        assertThat(d.get(1).fixCommands()).isEmpty();
        assertThat(d.get(1).curedBy()).isEqualTo(Cause.ROUTE_MISMATCH);
        assertThat(d.get(1).notes().get(0)).contains("stays strict");
        List<Diagnosis> loose = diagnose("rp-filter-route-mismatch", k -> sysctls(k,
                Map.of(Sysctl.conf4("all", "rp_filter"), 2)), Set.of());
        assertThat(causes(loose)).containsExactly("route-mismatch");
        List<Diagnosis> af = diagnose("arp-filter-route-mismatch");
        assertThat(causes(af)).containsExactly("route-mismatch", "arp-filter");
        assertThat(af.get(1).fixCommands()).isEmpty();
        assertThat(af.get(1).curedBy()).isEqualTo(Cause.ROUTE_MISMATCH);
    }

    @Test
    void theShimItselfComesFirst() {
        String host = ns("no-shim");
        List<Diagnosis> d = diagnose("no-shim");
        assertThat(causes(d)).containsExactly("no-shim");
        assertThat(d.get(0).fixCommands()).containsExactly(
                "ip -n " + host + " link add link ens33 name macvlan0-host type macvlan mode bridge",
                "ip -n " + host + " link set macvlan0-host up", "ip -n " + host + " route add 192.168.136.240 dev "
                        + "macvlan0-host");
        assertThat(causes(diagnose("shim-down"))).containsExactly("shim-down");
        List<Diagnosis> v = diagnose("shim-mode-vepa");
        assertThat(causes(v)).containsExactly("shim-mode");
        String vh = ns("shim-mode-vepa");
        assertThat(v.get(0).fixCommands()).containsExactly("ip -n " + vh + " link del macvlan0-host",
                "ip -n " + vh + " link add link ens33 name macvlan0-host type macvlan mode bridge",
                "ip -n " + vh + " link set macvlan0-host up",
                "ip -n " + vh + " route add 192.168.136.240 dev macvlan0-host");
    }

    /** The route goes through a macvlan of another parent: moved, with the old one left for its own containers. */
    @Test
    void aShimOnAnotherParent() {
        List<Diagnosis> d = diagnose("shim-parent");
        String host = ns("shim-parent");
        assertThat(causes(d)).containsExactly("shim-parent");
        assertThat(d.get(0).fixCommands()).containsExactly(
                "ip -n " + host + " link add link ens33 name macvlan1-host type macvlan mode bridge",
                "ip -n " + host + " link set macvlan1-host up",
                "ip -n " + host + " route replace 192.168.136.240 dev macvlan1-host");
        assertThat(d.get(0).summary()).contains("ens34");
    }

    @Test
    void theEndsOfThePath() {
        List<Diagnosis> p = diagnose("parent-down");
        assertThat(causes(p)).containsExactly("parent-down");
        assertThat(p.get(0).notes()).anyMatch(n -> n.contains("not judged"));
        // A vlan on a lower device that is down: the parent is up, its lower layer is not.
        List<Diagnosis> vlan = diagnose("no-shim", k -> {
            Link lower = new Link(40, "bond0", "aa:00:00:00:00:40", false, "DOWN", "bond", null, 0, -1, List.of());
            Link par = k.parent();
            Link vlanParent = new Link(par.index(), par.name(), par.mac(), true, "LOWERLAYERDOWN", "vlan", null, 40, -1,
                    par.addresses());
            List<Link> links = new ArrayList<>(k.hostLinks().stream().filter(l -> l.index() != par.index()).toList());
            links.add(vlanParent);
            links.add(lower);
            return parent(k, vlanParent, links);
        }, Set.of());
        assertThat(causes(vlan)).containsExactly("parent-down");
        assertThat(vlan.get(0).summary()).contains("bond0");
        assertThat(vlan.get(0).fixCommands()).containsExactly("ip -n " + ns("no-shim") + " link set bond0 up");
    }

    @Test
    void aFirewallRuleThatDropsTheProbeIsNamedAndAnAcceptGoesRightBeforeIt() {
        List<Diagnosis> d = diagnose("host-firewall");
        assertThat(causes(d)).containsExactly("host-firewall");
        assertThat(d.get(0).facts()).anyMatch(f -> f.contains("chain INPUT")
                && f.contains("-A INPUT -s 192.168.136.240/32 -p icmp -m icmp --icmp-type 8 -j DROP"));
        assertThat(d.get(0).fixCommands()).containsExactly("ip netns exec " + ns("host-firewall")
                + " iptables -t filter -I INPUT 1 -i macvlan0-host -s 192.168.136.240 -j ACCEPT");
        // An ACCEPT for the container before the DROP: the DROP never sees the probe, and is not blamed.
        List<Diagnosis> accepted = diagnose("host-firewall", k -> firewall(k, k.firewall().stream()
                .map(r -> new Ruleset(r.side(), r.tool(), r.json(), r.text() == null ? null : r.text()
                        .replace("-A INPUT -s 192.168.136.240/32 -p icmp", "-A INPUT -i macvlan0-host -j ACCEPT\n"
                                + "-A INPUT -s 192.168.136.240/32 -p icmp"))).toList()), Set.of());
        assertThat(causes(accepted)).containsExactly("unexplained");
    }

    @Test
    void aDuplicateAddressIsNamedWithBothAnswersAndNoCommand() {
        List<Diagnosis> d = diagnose("ip-conflict");
        assertThat(causes(d)).containsExactly("ip-conflict");
        assertThat(d.get(0).fixCommands()).isEmpty();
        assertThat(d.get(0).notes().get(0)).contains("off the host").contains("--ip-range");
        assertThat(d.get(0).frames()).hasSize(2);
        assertThat(d.get(0).frames().stream().map(f -> f.point().name())).contains("host:macvlan0-host");
    }

    @Test
    void theSeedsIpv6RecipeIsMissingProxyNdp() {
        List<Diagnosis> d = diagnose("ndp-proxy");
        String host = ns("ndp-proxy");
        assertThat(causes(d)).containsExactly("ndp-proxy");
        assertThat(d.get(0).family()).isEqualTo(Family.V6);
        assertThat(d.get(0).summary()).contains("proxy_ndp").contains("forwarding").contains("proxy entry");
        assertThat(d.get(0).fixCommands()).containsExactly(
                "ip netns exec " + host + " sysctl -w net.ipv6.conf.macvlan0-host.proxy_ndp=1",
                "ip netns exec " + host + " sysctl -w net.ipv6.conf.macvlan0-host.forwarding=1",
                "ip netns exec " + host + " sysctl -w net.ipv6.neigh.macvlan0-host.proxy_delay=0",
                "ip -n " + host + " -6 neigh add proxy fd00:136::130 dev macvlan0-host");
        List<Diagnosis> one = diagnose("ndp-proxy-forwarding");
        assertThat(one.get(0).fixCommands()).containsExactly("ip netns exec " + ns("ndp-proxy-forwarding")
                + " sysctl -w net.ipv6.conf.macvlan0-host.forwarding=1");
    }

    @Test
    void everyFailedRunHasACauseAndEveryOtherNone() {
        for (String name : Recorded.names()) {
            boolean failed = Recorded.load(name).liveStatuses().containsValue("fail");
            assertThat(diagnose(name).isEmpty()).as(name).isEqualTo(!failed);
        }
    }

    @Test
    void typosOneEditAway() {
        assertThat(Typo.oneAway(ip("192.168.136.140"), ip("192.168.136.240"))).isTrue();
        assertThat(Typo.oneAway(ip("192.168.136.24"), ip("192.168.136.240"))).isTrue();
        assertThat(Typo.oneAway(ip("192.168.163.240"), ip("192.168.136.240"))).isFalse();
        assertThat(Typo.oneAway(ip("192.168.137.241"), ip("192.168.136.240"))).isFalse();
        assertThat(Typo.oneAway(ip("192.168.136.240"), ip("192.168.136.240"))).isFalse();
        assertThat(Typo.oneAway(ip("fd00:136::140"), ip("fd00:136::240"))).isTrue();
        assertThat(Typo.oneAway(ip("fd00:136::24"), ip("fd00:136::240"))).isTrue();
        assertThat(Typo.oneAway(ip("fd00:137::241"), ip("fd00:136::240"))).isFalse();
        assertThat(Typo.oneAway(ip("10.0.0.1"), ip("fd00::1"))).isFalse();
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }
}
