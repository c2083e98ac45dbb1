package io.macvlandoctor.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** On replies recorded from the kernel (see src/test/resources/ip). */
class IpJsonTest {
    static String fixture(String name) {
        try (InputStream in = IpJsonTest.class.getResourceAsStream("/ip/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Link> byName(List<Link> links) {
        return links.stream().collect(Collectors.toMap(Link::name, Function.identity()));
    }

    @Test
    void macvlanInEveryModeWithTheParentInTheSameNamespace() {
        Map<String, Link> l = byName(IpJson.links(fixture("links-macvlan-modes.json")));
        int d0 = l.get("d0").index();
        assertThat(l.get("mv0").macvlanMode()).isEqualTo("private");
        assertThat(l.get("mv1").macvlanMode()).isEqualTo("vepa");
        assertThat(l.get("mv2").macvlanMode()).isEqualTo("passthru");
        assertThat(l.get("mv3").macvlanMode()).isEqualTo("source");
        assertThat(l.get("mv4").macvlanMode()).isEqualTo("bridge");
        assertThat(l.get("mv0").parentIndex()).isEqualTo(d0);
        assertThat(l.get("mv2").parentIndex()).isEqualTo(l.get("d1").index());
        assertThat(l.get("mv0").parentElsewhere()).isFalse();
        assertThat(l.get("mv0").adminUp()).isTrue();
        assertThat(l.get("mv1").adminUp()).isFalse();
        assertThat(l.get("d0").kind()).isEqualTo("veth");
        assertThat(l.get("d0").macvlanMode()).isNull();
        assertThat(l.get("d0").addresses()).extracting(Object::toString).containsExactly("10.1.1.1/24");
    }

    @Test
    void containerMacvlanNamesItsParentByIndexInAnotherNamespace() {
        Link eth0 = byName(IpJson.links(fixture("lab-container-links.json"))).get("eth0");
        assertThat(eth0.isMacvlan()).isTrue();
        assertThat(eth0.macvlanMode()).isEqualTo("bridge");
        assertThat(eth0.parentElsewhere()).isTrue();
        assertThat(eth0.mac()).isEqualTo("02:42:c0:a8:88:f0");
        assertThat(eth0.firstAddress().toString()).isEqualTo("192.168.136.240/24");
        Link ens33 = byName(IpJson.links(fixture("lab-host-links.json"))).get("ens33");
        assertThat(eth0.parentIndex()).isEqualTo(ens33.index());
    }

    @Test
    void hostShimIsAMacvlanOnTheParent() {
        Map<String, Link> l = byName(IpJson.links(fixture("lab-host-links.json")));
        Link shim = l.get("macvlan0-host");
        assertThat(shim.isMacvlan()).isTrue();
        assertThat(shim.parentIndex()).isEqualTo(l.get("ens33").index());
        assertThat(shim.parentElsewhere()).isFalse();
        assertThat(shim.firstAddress()).isNull();
        assertThat(shim.hasAddress(io.macvlandoctor.model.Family.V6)).isFalse();
        // The parent is one end of a veth whose peer lives in the LAN namespace.
        assertThat(l.get("ens33").parentElsewhere()).isTrue();
    }

    @Test
    void routesAndRouteGet() {
        List<Route> routes = IpJson.routes(fixture("lab-host-routes.json"));
        assertThat(routes).extracting(Route::describe)
                .containsExactly("192.168.136.0/24 dev ens33", "192.168.136.240 dev macvlan0-host");
        assertThat(routes.get(1).isHostRouteTo(io.macvlandoctor.model.IpAddress.parse("192.168.136.240"))).isTrue();
        RouteLookup get = IpJson.routeGet(fixture("lab-host-route-get.json"));
        assertThat(get.dev()).isEqualTo("macvlan0-host");
        assertThat(get.prefsrc()).isEqualTo("192.168.136.130");
        assertThat(IpJson.routeGet("")).isNull();
    }
}
