package io.macvlandoctor.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.IpAddress;
import org.junit.jupiter.api.Test;

class LabSpecTest {
    @Test
    void theArticlesTypoIsOneDigitAway() {
        assertThat(LabSpec.article("x").mistypedContainerIp().toString()).isEqualTo("192.168.136.140");
        LabSpec small = new LabSpec("x", "p0", "g0", "c0", "s0", 24, IpAddress.parse("10.9.0.1"),
                IpAddress.parse("10.9.0.2"), IpAddress.parse("10.9.0.7"), "02:00:00:00:00:07", null);
        assertThat(small.mistypedContainerIp().toString()).isEqualTo("10.9.0.107");
        assertThat(LabSpec.mistyped(IpAddress.parse("fd00:136::240")).toString()).isEqualTo("fd00:136::140");
    }

    @Test
    void namesTheNamespacesWithAPrefix() {
        assertThat(LabSpec.article("demo").hostNs().ref()).isEqualTo("mvd-demo-host");
        assertThat(LabSpec.article("demo").containerNs().ref()).isEqualTo("mvd-demo-ctr");
        assertThat(LabSpec.article("demo").lanNs().ref()).isEqualTo("mvd-demo-lan");
    }

    @Test
    void refusesInconsistentTopologies() {
        assertThatThrownBy(() -> LabSpec.article("Bad_Name")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new LabSpec("x", "p0", "g0", "c0", "s0", 24, IpAddress.parse("10.9.0.1"),
                IpAddress.parse("10.9.0.2"), IpAddress.parse("10.9.1.7"), "02:00:00:00:00:07", null))
                .hasMessageContaining("not in the host's subnet");
        assertThatThrownBy(() -> new LabSpec("x", "p0", "g0", "c0", "p0", 24, IpAddress.parse("10.9.0.1"),
                IpAddress.parse("10.9.0.2"), IpAddress.parse("10.9.0.7"), "02:00:00:00:00:07", null))
                .hasMessageContaining("different names");
        assertThatThrownBy(() -> LabSpec.article("x").withV6(new LabSpec.V6(64, IpAddress.parse("fd00:1::2"),
                IpAddress.parse("fd00:1::130"), IpAddress.parse("fd00:2::240"))))
                .hasMessageContaining("not in the host's subnet");
    }

    @Test
    void manyContainersCountUpWithDockerStyleMacs() {
        LabSpec s = LabSpec.article("m");
        assertThat(s.containerIp(3).toString()).isEqualTo("192.168.136.242");
        assertThat(s.withV6(LabSpec.V6.article()).containerIp6(3).toString()).isEqualTo("fd00:136::242");
        assertThat(s.containerMac(1)).isEqualTo("02:42:c0:a8:88:f0");
        assertThat(s.containerMac(2)).isEqualTo("02:42:c0:a8:88:f1");
        assertThat(LabSpec.containerNs("m", 1).ref()).isEqualTo("mvd-m-ctr");
        assertThat(LabSpec.containerNs("m", 7).ref()).isEqualTo("mvd-m-ctr7");
        s.checkContainers(15);
        assertThatThrownBy(() -> s.checkContainers(16)).isInstanceOf(UsageException.class)
                .hasMessageContaining("do not fit");
        assertThatThrownBy(() -> s.checkContainers(0)).isInstanceOf(UsageException.class);
    }

    @Test
    void parsesFaults() {
        assertThat(Fault.parse("shim-mode")).isEqualTo(new Fault(Fault.Kind.SHIM_MODE, "private"));
        assertThat(Fault.parse("shim-mode=vepa")).isEqualTo(new Fault(Fault.Kind.SHIM_MODE, "vepa"));
        assertThat(Fault.parse("route-mismatch").kind()).isEqualTo(Fault.Kind.ROUTE_MISMATCH);
        assertThatThrownBy(() -> Fault.parse("shim-mode=bridge")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Fault.parse("no-route=1")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Fault.parse("cosmic-rays")).hasMessageContaining("known: shim-down");
        assertThat(Fault.parse("ndp-proxy")).isEqualTo(new Fault(Fault.Kind.NDP_PROXY, "all"));
        assertThat(Fault.parse("ndp-proxy=entry").toString()).isEqualTo("ndp-proxy=entry");
        assertThatThrownBy(() -> Fault.parse("ndp-proxy=cables")).isInstanceOf(UsageException.class);
    }
}
