package io.macvlandoctor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule on frames recorded from the lab and facts written down by hand. */
class DiagnoserTest {
    static final Netns NS = Netns.named("mvd-t-host");
    static final int CTR = Ipv4.parse("192.168.136.240");
    static final int HOST = Ipv4.parse("192.168.136.130");
    static final Route CONNECTED = new Route(Cidr.parse("192.168.136.0/24"), "ens33", null, "192.168.136.130", "link");
    static final Route GOOD = new Route(Cidr.parse("192.168.136.240/32"), "macvlan0-host", null, null, "link");
    static final Route TYPO = new Route(Cidr.parse("192.168.136.140/32"), "macvlan0-host", null, null, "link");

    /** The kernel facts of a lab, adjustable. */
    static final class Facts {
        boolean parentUp = true;
        boolean ctrUp = true;
        boolean ctrGone;
        String ctrMode = "bridge";
        String shimMode = "bridge";
        boolean shimUp = true;
        boolean noShim;
        List<Route> routes = new ArrayList<>(List.of(CONNECTED, GOOD));
        Map<String, Integer> sysctls = new HashMap<>();

        HostFacts build() {
            Link parent = new Link(2, "ens33", "aa:00:00:00:00:01", parentUp, parentUp ? "UP" : "DOWN", "veth", null, 2,
                    0, List.of(Cidr.parse("192.168.136.130/24")));
            Link shim = noShim ? null : new Link(5, "macvlan0-host", "9e:63:b4:5c:c8:93", shimUp,
                    shimUp ? "UP" : "DOWN", "macvlan", shimMode, 2, -1, List.of());
            Link ctr = ctrGone ? null : new Link(2, "eth0", "02:42:c0:a8:88:f0", ctrUp, ctrUp ? "UP" : "DOWN",
                    "macvlan", ctrMode, 2, 0, List.of(Cidr.parse("192.168.136.240/24")));
            boolean viaShim = !noShim && shimUp && routes.contains(GOOD);
            RouteLookup get = new RouteLookup("192.168.136.240", viaShim ? "macvlan0-host" : "ens33",
                    "192.168.136.130", null);
            return new HostFacts(NS, Netns.named("mvd-t-ctr"), parent, shim, ctr, CTR, HOST, routes, get, null,
                    sysctls, List.of(), false);
        }
    }

    static List<String> causes(String capture, Facts f) {
        return diagnose(capture, f).stream().map(Diagnosis::cause).toList();
    }

    static List<Diagnosis> diagnose(String capture, Facts f) {
        Recorded r = Recorded.load(capture);
        ProbeExchanges p = ProbeExchanges.select(r.facts(), null, Correlator.correlate(r.frames()));
        List<CheckResult> checks = PathChecks.evaluate(r.facts(), p, r.outcome());
        return Diagnoser.diagnose(f.build(), p, checks);
    }

    @Test
    void aHealthyPathHasNoCauseWhateverTheSysctls() {
        Facts f = new Facts();
        f.sysctls.put("all.rp_filter", 1);
        f.sysctls.put("all.arp_filter", 1);
        f.sysctls.put("all.arp_ignore", 1);
        assertThat(causes("healthy", f)).isEmpty();
    }

    @Test
    void theArticlesTypoIsNamedWithTheAddressItWasMeantToBe() {
        Facts f = new Facts();
        f.routes = new ArrayList<>(List.of(CONNECTED, TYPO));
        List<Diagnosis> d = diagnose("route-mismatch", f);
        assertThat(d).extracting(Diagnosis::cause).containsExactly("route-mismatch");
        assertThat(d.get(0).summary()).contains("192.168.136.140").contains("192.168.136.240").contains("typo")
                .contains("left through ens33 (egress on the parent, seen on the wire)");
        assertThat(d.get(0).fix()).containsExactly("ip -n mvd-t-host route del 192.168.136.140 dev macvlan0-host",
                "ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host");
        assertThat(d.get(0).frames()).anyMatch(x -> x.point().name().equals("host:ens33")
                && x.direction() == io.macvlandoctor.model.Direction.OUT && x.kind().isArp());
        assertThat(d.get(0).frames()).anyMatch(x -> x.point().name().equals("lan:gw0"));
    }

    @Test
    void aRouteToAnUnrelatedAddressIsNoRouteNotATypo() {
        Facts f = new Facts();
        f.routes = new ArrayList<>(List.of(CONNECTED,
                new Route(Cidr.parse("192.168.136.17/32"), "macvlan0-host", null, null, "link")));
        assertThat(causes("no-route", f)).containsExactly("no-route");
    }

    @Test
    void sysctlsAreBlamedOnlyWhenTheFramesShowTheirEffect() {
        Facts f = new Facts();
        f.sysctls.put("all.arp_ignore", 1);
        List<Diagnosis> d = diagnose("arp-ignore", f);
        assertThat(d).extracting(Diagnosis::cause).containsExactly("arp-ignore");
        assertThat(d.get(0).fix()).containsExactly(
                "ip netns exec mvd-t-host sysctl -w net.ipv4.conf.all.arp_ignore=0   (then set arp_ignore per "
                        + "interface where it is wanted: all overrides every interface)");
        assertThat(d.get(0).frames()).isNotEmpty().allMatch(x -> x.point().name().equals("host:macvlan0-host"));
        // The same setting on the shim alone, at a higher value: the kernel takes the larger one.
        Facts own = new Facts();
        own.sysctls.put("macvlan0-host.arp_ignore", 2);
        assertThat(diagnose("arp-ignore", own).get(0).summary()).startsWith("net.ipv4.conf.macvlan0-host.arp_ignore=2");
        // arp_ignore=1 with frames that show the shim answering: not a cause.
        assertThat(causes("healthy", f)).isEmpty();
    }

    @Test
    void rpFilterAndArpFilterNeedTheWrongRouteToMatter() {
        Facts rp = new Facts();
        rp.routes = new ArrayList<>(List.of(CONNECTED, TYPO));
        rp.sysctls.put("all.rp_filter", 1);
        assertThat(causes("rp-filter-route-mismatch", rp)).containsExactly("route-mismatch", "rp-filter");
        Facts loose = new Facts();
        loose.routes = new ArrayList<>(List.of(CONNECTED, TYPO));
        loose.sysctls.put("all.rp_filter", 2);
        assertThat(causes("rp-filter-route-mismatch", loose)).containsExactly("route-mismatch");
        Facts af = new Facts();
        af.routes = new ArrayList<>(List.of(CONNECTED, TYPO));
        af.sysctls.put("macvlan0-host.arp_filter", 1);
        List<Diagnosis> d = diagnose("arp-filter-route-mismatch", af);
        assertThat(d).extracting(Diagnosis::cause).containsExactly("route-mismatch", "arp-filter");
        assertThat(d.get(1).fix()).containsExactly(
                "ip netns exec mvd-t-host sysctl -w net.ipv4.conf.macvlan0-host.arp_filter=0");
    }

    @Test
    void theShimItselfComesFirst() {
        Facts none = new Facts();
        none.noShim = true;
        none.routes = new ArrayList<>(List.of(CONNECTED));
        List<Diagnosis> d = diagnose("no-shim", none);
        assertThat(d).extracting(Diagnosis::cause).containsExactly("no-shim");
        assertThat(d.get(0).fix()).containsExactly(
                "ip -n mvd-t-host link add link ens33 name macvlan0-host type macvlan mode bridge",
                "ip -n mvd-t-host link set macvlan0-host up", "ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host");
        Facts down = new Facts();
        down.shimUp = false;
        down.routes = new ArrayList<>(List.of(CONNECTED));
        assertThat(causes("shim-down", down)).containsExactly("shim-down");
        Facts vepa = new Facts();
        vepa.shimMode = "vepa";
        List<Diagnosis> v = diagnose("shim-mode-vepa", vepa);
        assertThat(v).extracting(Diagnosis::cause).containsExactly("shim-mode");
        assertThat(v.get(0).fix().get(0)).isEqualTo("ip -n mvd-t-host link del macvlan0-host");
    }

    @Test
    void theEndsOfThePath() {
        Facts p = new Facts();
        p.parentUp = false;
        assertThat(causes("parent-down", p)).containsExactly("parent-down");
        Facts c = new Facts();
        c.ctrUp = false;
        List<Diagnosis> d = diagnose("no-shim", c);
        assertThat(d).extracting(Diagnosis::cause).containsExactly("container-down");
        assertThat(d.get(0).fix()).containsExactly("ip -n mvd-t-ctr link set eth0 up");
        Facts gone = new Facts();
        gone.ctrGone = true;
        assertThat(diagnose("no-shim", gone).get(0).summary()).contains("gone");
    }

    @Test
    void aContainerMacvlanOutOfBridgeModeIsTheNetworksFault() {
        Facts f = new Facts();
        f.ctrMode = "private";
        List<Diagnosis> d = diagnose("shim-mode-private", f);
        assertThat(d).extracting(Diagnosis::cause).containsExactly("network-mode");
        assertThat(d.get(0).summary()).contains("private mode").contains("macvlan_mode");
    }

    @Test
    void typosOneEditAway() {
        assertThat(Diagnoser.oneTypoAway("192.168.136.140", "192.168.136.240")).isTrue();
        assertThat(Diagnoser.oneTypoAway("192.168.136.24", "192.168.136.240")).isTrue();
        assertThat(Diagnoser.oneTypoAway("192.168.163.240", "192.168.136.240")).isFalse();
        assertThat(Diagnoser.oneTypoAway("192.168.137.241", "192.168.136.240")).isFalse();
        assertThat(Diagnoser.oneTypoAway("192.168.136.240", "192.168.136.240")).isFalse();
    }
}
