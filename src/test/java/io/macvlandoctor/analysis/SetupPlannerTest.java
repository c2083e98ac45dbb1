package io.macvlandoctor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkAdd;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetupPlannerTest {
    static final Netns HOST = Netns.named("mvd-t-host");
    static final Link PARENT = new Link(2, "ens33", "aa:bb:cc:00:00:01", true, "UP", "veth", null, 2, 0,
            List.of(Cidr.parse("192.168.136.130/24"), Cidr.parse("fd00:136::130/64"), Cidr.parse("fe80::1/64")));
    static final Route CONNECTED = new Route(Cidr.parse("192.168.136.0/24"), "ens33", null, "192.168.136.130", "link");
    static final IpAddress CTR = IpAddress.parse("192.168.136.240");
    static final IpAddress CTR6 = IpAddress.parse("fd00:136::240");

    static Link shim(String mode, boolean up, int parentIndex) {
        return new Link(5, "macvlan0-host", "9e:63:b4:5c:c8:93", up, up ? "UP" : "DOWN", "macvlan", mode,
                parentIndex, -1, List.of());
    }

    static Target target(Link shim) {
        return new Target(HOST, PARENT, shim, "macvlan0-host", null, null, Map.of(Family.V4, CTR), null, null, null,
                null, null);
    }

    static SetupPlanner.Plan plan(Target t, List<Route> routes, Cidr shimIp) {
        return SetupPlanner.plan(t, new SetupPlanner.Host(routes, Map.of(), List.of(), 2), MacvlanMode.BRIDGE, shimIp,
                List.of(Cidr.host(CTR)));
    }

    @Test
    void withNothingInPlaceCreatesTheShimBringsItUpAndRoutesTheContainer() {
        SetupPlanner.Plan p = plan(target(null), List.of(CONNECTED), null);
        assertThat(p.changes()).extracting(Change::command).containsExactly(
                "ip -n mvd-t-host link add link ens33 name macvlan0-host type macvlan mode bridge",
                "ip -n mvd-t-host link set macvlan0-host up",
                "ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host");
        assertThat(p.changes()).extracting(Change::undoCommand).containsExactly(
                "ip -n mvd-t-host link del macvlan0-host",
                "ip -n mvd-t-host link set macvlan0-host down",
                "ip -n mvd-t-host route del 192.168.136.240 dev macvlan0-host");
        assertThat(p.changes().get(0)).isInstanceOfSatisfying(LinkAdd.class, l -> assertThat(l.name())
                .isEqualTo("macvlan0-host"));
    }

    @Test
    void alreadyCorrectMeansNothingToDo() {
        Route viaShim = new Route(Cidr.parse("192.168.136.240/32"), "macvlan0-host", null, null, "link");
        SetupPlanner.Plan p = plan(target(shim("bridge", true, 2)), List.of(CONNECTED, viaShim), null);
        assertThat(p.nothingToDo()).isTrue();
        assertThat(p.alreadyThere()).hasSize(3);
    }

    @Test
    void aShimThatIsDownIsBroughtUpAndTheMissingRouteAdded() {
        SetupPlanner.Plan p = plan(target(shim("bridge", false, 2)), List.of(CONNECTED), null);
        assertThat(p.changes()).extracting(Change::summary)
                .containsExactly("bring macvlan0-host up", "route 192.168.136.240 through macvlan0-host");
    }

    @Test
    void theArticlesTypoIsLeftAloneAndTheRightRouteAdded() {
        Route typo = new Route(Cidr.parse("192.168.136.140/32"), "macvlan0-host", null, null, "link");
        SetupPlanner.Plan p = plan(target(shim("bridge", true, 2)), List.of(CONNECTED, typo), null);
        assertThat(p.changes()).extracting(Change::command)
                .containsExactly("ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host");
    }

    @Test
    void aShimAddressIsAddedAndRemovedByItsUndo() {
        SetupPlanner.Plan p = plan(target(null), List.of(CONNECTED), Cidr.parse("192.168.136.131/32"));
        assertThat(p.changes().get(1).command()).isEqualTo("ip -n mvd-t-host addr add 192.168.136.131/32 dev macvlan0-host");
        assertThat(p.changes().get(1).undoCommand()).isEqualTo("ip -n mvd-t-host addr del 192.168.136.131/32 dev macvlan0-host");
    }

    @Test
    void refusesToTouchAShimInAnotherModeOrOnAnotherParent() {
        assertThatThrownBy(() -> plan(target(shim("private", true, 2)), List.of(), null))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("private mode");
        assertThatThrownBy(() -> plan(target(shim("bridge", true, 9)), List.of(), null))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("not a macvlan on ens33");
    }

    @Test
    void refusesToReplaceAnotherRouteToTheContainer() {
        Route other = new Route(Cidr.parse("192.168.136.240/32"), "ens33", null, null, "link");
        assertThatThrownBy(() -> plan(target(null), List.of(other), null))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("192.168.136.240 dev ens33").hasMessageContaining("--replace-route");
        // Asked to, it replaces that route, and its undo puts the one it replaced back.
        SetupPlanner.Plan p = SetupPlanner.plan(target(null), new SetupPlanner.Host(List.of(other), Map.of(),
                List.of(), 2), MacvlanMode.BRIDGE, null, List.of(Cidr.host(CTR)), true);
        Change route = p.changes().get(p.changes().size() - 1);
        assertThat(route.command()).isEqualTo("ip -n mvd-t-host route replace 192.168.136.240 dev macvlan0-host");
        assertThat(route.undoCommand()).contains("route replace 192.168.136.240").contains("dev ens33");
    }

    /** IPv6: the route, and proxy NDP on the shim; each sysctl journaled with the value it had. */
    @Test
    void dualStackAddsTheProxyNdpRecipe() {
        Target t = new Target(HOST, PARENT, shim("bridge", true, 2), "macvlan0-host", null, null,
                Map.of(Family.V4, CTR, Family.V6, CTR6), null, null, null, null, null);
        Map<String, Integer> sysctls = Map.of("net.ipv6.conf.macvlan0-host.proxy_ndp", 0,
                "net.ipv6.conf.macvlan0-host.forwarding", 0, "net.ipv6.neigh.macvlan0-host.proxy_delay", 80);
        SetupPlanner.Plan p = SetupPlanner.plan(t, new SetupPlanner.Host(List.of(CONNECTED), sysctls, List.of(), 5),
                MacvlanMode.BRIDGE, null, List.of(Cidr.host(CTR), Cidr.host(CTR6)));
        assertThat(p.changes()).extracting(Change::command).containsExactly(
                "ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host",
                "ip netns exec mvd-t-host sysctl -w net.ipv6.conf.macvlan0-host.proxy_ndp=1",
                "ip netns exec mvd-t-host sysctl -w net.ipv6.conf.macvlan0-host.forwarding=1",
                "ip netns exec mvd-t-host sysctl -w net.ipv6.neigh.macvlan0-host.proxy_delay=0",
                "ip -n mvd-t-host -6 neigh add proxy fd00:136::130 dev macvlan0-host",
                "ip -n mvd-t-host -6 route add fd00:136::240 dev macvlan0-host");
        assertThat(p.changes().get(3).undoCommand())
                .isEqualTo("ip netns exec mvd-t-host sysctl -w net.ipv6.neigh.macvlan0-host.proxy_delay=80");
        // With the proxy entry and settings in place, only the route is missing.
        Map<String, Integer> done = Map.of("net.ipv6.conf.macvlan0-host.proxy_ndp", 1,
                "net.ipv6.conf.macvlan0-host.forwarding", 1, "net.ipv6.neigh.macvlan0-host.proxy_delay", 0);
        SetupPlanner.Plan q = SetupPlanner.plan(t, new SetupPlanner.Host(List.of(CONNECTED), done,
                List.of(new Neighbour(Side.HOST, IpAddress.parse("fd00:136::130"), "macvlan0-host", null, null, true)), 5),
                MacvlanMode.BRIDGE, null, List.of(Cidr.host(CTR6)));
        assertThat(q.changes()).extracting(Change::command)
                .containsExactly("ip -n mvd-t-host -6 route add fd00:136::240 dev macvlan0-host");
    }
}
