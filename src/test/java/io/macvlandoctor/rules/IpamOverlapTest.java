package io.macvlandoctor.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Link;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpamOverlapTest {
    static DockerNetwork net(String range, Map<String, String> aux) {
        return new DockerNetwork("macvlan0", "n1", "macvlan", "ens33", "bridge", List.of(new DockerNetwork.Pool(
                Cidr.parse("192.168.136.0/24"), "192.168.136.2", range == null ? null : Cidr.parse(range), aux)),
                List.of());
    }

    static Link shim(String... addrs) {
        return new Link(7, "macvlan0-host", "9e:63:b4:5c:c8:93", true, "UP", "macvlan", "bridge", 2, -1,
                java.util.Arrays.stream(addrs).map(Cidr::parse).toList());
    }

    @Test
    void aShimAddressDockerHandsOutIsAHazardUnlessReserved() {
        assertThat(IpamOverlap.hazards(shim("192.168.136.250/32"), net("192.168.136.240/28", Map.of())))
                .singleElement().satisfies(d -> {
                    assertThat(d.cause().code()).isEqualTo("ipam-overlap");
                    assertThat(d.summary()).contains("192.168.136.250").contains("192.168.136.240/28");
                    assertThat(d.fix()).isEmpty();
                    assertThat(d.notes()).anyMatch(n -> n.contains("--aux-address shim=192.168.136.250"));
                });
        // Reserved, outside the range, or no address at all: nothing.
        assertThat(IpamOverlap.hazards(shim("192.168.136.250/32"), net("192.168.136.240/28",
                Map.of("shim", "192.168.136.250")))).isEmpty();
        assertThat(IpamOverlap.hazards(shim("192.168.136.131/32"), net("192.168.136.240/28", Map.of()))).isEmpty();
        assertThat(IpamOverlap.hazards(shim(), net("192.168.136.240/28", Map.of()))).isEmpty();
        // Without an ip-range Docker allocates from the whole subnet.
        assertThat(IpamOverlap.hazards(shim("192.168.136.131/32"), net(null, Map.of()))).hasSize(1);
    }
}
