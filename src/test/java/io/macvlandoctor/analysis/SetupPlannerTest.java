package io.macvlandoctor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetupPlannerTest {
    static final Netns HOST = Netns.named("mvd-t-host");
    static final Link PARENT = new Link(2, "ens33", "aa:bb:cc:00:00:01", true, "UP", "veth", null, 2, 0,
            List.of(Cidr.parse("192.168.136.130/24")));
    static final Route CONNECTED = new Route(Cidr.parse("192.168.136.0/24"), "ens33", null, "192.168.136.130", "link");
    static final int CTR = Ipv4.parse("192.168.136.240");

    static Link shim(String mode, boolean up, int parentIndex) {
        return new Link(5, "macvlan0-host", "9e:63:b4:5c:c8:93", up, up ? "UP" : "DOWN", "macvlan", mode,
                parentIndex, -1, List.of());
    }

    static Target target(Link shim) {
        return new Target(HOST, PARENT, shim, "macvlan0-host", null, null, CTR, null, null, null, null);
    }

    @Test
    void withNothingInPlaceCreatesTheShimBringsItUpAndRoutesTheContainer() {
        SetupPlanner.Plan p = SetupPlanner.plan(target(null), List.of(CONNECTED), "bridge", null);
        assertThat(p.changes()).extracting(Change::command).containsExactly(
                "ip -n mvd-t-host link add link ens33 name macvlan0-host type macvlan mode bridge",
                "ip -n mvd-t-host link set macvlan0-host up",
                "ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host");
        assertThat(p.changes()).extracting(Change::undoCommand).containsExactly(
                "ip -n mvd-t-host link del macvlan0-host",
                "ip -n mvd-t-host link set macvlan0-host down",
                "ip -n mvd-t-host route del 192.168.136.240 dev macvlan0-host");
        assertThat(p.changes().get(0).createsLink()).isEqualTo("macvlan0-host");
    }

    @Test
    void alreadyCorrectMeansNothingToDo() {
        Route viaShim = new Route(Cidr.parse("192.168.136.240/32"), "macvlan0-host", null, null, "link");
        SetupPlanner.Plan p = SetupPlanner.plan(target(shim("bridge", true, 2)), List.of(CONNECTED, viaShim),
                "bridge", null);
        assertThat(p.nothingToDo()).isTrue();
        assertThat(p.alreadyThere()).hasSize(3);
    }

    @Test
    void aShimThatIsDownIsBroughtUpAndTheMissingRouteAdded() {
        SetupPlanner.Plan p = SetupPlanner.plan(target(shim("bridge", false, 2)), List.of(CONNECTED), "bridge", null);
        assertThat(p.changes()).extracting(Change::summary)
                .containsExactly("bring macvlan0-host up", "route 192.168.136.240 through macvlan0-host");
    }

    @Test
    void theArticlesTypoIsLeftAloneAndTheRightRouteAdded() {
        Route typo = new Route(Cidr.parse("192.168.136.140/32"), "macvlan0-host", null, null, "link");
        SetupPlanner.Plan p = SetupPlanner.plan(target(shim("bridge", true, 2)), List.of(CONNECTED, typo),
                "bridge", null);
        assertThat(p.changes()).extracting(Change::command)
                .containsExactly("ip -n mvd-t-host route add 192.168.136.240 dev macvlan0-host");
    }

    @Test
    void aShimAddressIsAddedAndRemovedByItsUndo() {
        SetupPlanner.Plan p = SetupPlanner.plan(target(null), List.of(CONNECTED), "bridge",
                Cidr.parse("192.168.136.131/32"));
        assertThat(p.changes().get(1).command()).isEqualTo("ip -n mvd-t-host addr add 192.168.136.131/32 dev macvlan0-host");
        assertThat(p.changes().get(1).undoCommand()).isEqualTo("ip -n mvd-t-host addr del 192.168.136.131/32 dev macvlan0-host");
    }

    @Test
    void refusesToTouchAShimInAnotherModeOrOnAnotherParent() {
        assertThatThrownBy(() -> SetupPlanner.plan(target(shim("private", true, 2)), List.of(), "bridge", null))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("private mode");
        assertThatThrownBy(() -> SetupPlanner.plan(target(shim("bridge", true, 9)), List.of(), "bridge", null))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("not a macvlan on ens33");
    }

    @Test
    void refusesToReplaceAnotherRouteToTheContainer() {
        Route other = new Route(Cidr.parse("192.168.136.240/32"), "ens33", null, null, "link");
        assertThatThrownBy(() -> SetupPlanner.plan(target(null), List.of(other), "bridge", null))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("192.168.136.240 dev ens33");
    }
}
