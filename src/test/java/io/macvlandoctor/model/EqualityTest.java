package io.macvlandoctor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The records whose equals and hashCode are written out keep a record's meaning: every component counts. */
class EqualityTest {
    @Test
    void addressesAreEqualByAllTheirBitsAndTheirFamily() {
        assertThat(IpAddress.parse("10.20.5.7")).isEqualTo(IpAddress.parse("10.20.5.7"))
                .hasSameHashCodeAs(IpAddress.parse("10.20.5.7"));
        assertThat(IpAddress.parse("10.20.5.7")).isNotEqualTo(IpAddress.parse("10.20.5.8"));
        assertThat(IpAddress.parse("fd00::1")).isNotEqualTo(IpAddress.parse("fe80::1"));
        // The same low bits in both families are two addresses.
        assertThat(new IpAddress(0, 1, Family.V4)).isNotEqualTo(new IpAddress(0, 1, Family.V6));
        assertThat(IpAddress.parse("10.0.0.1")).isNotEqualTo("10.0.0.1").isNotEqualTo(null);
        Set<IpAddress> s = new HashSet<>(Set.of(IpAddress.parse("10.0.0.1"), IpAddress.parse("fd00::1")));
        assertThat(s).contains(IpAddress.parse("fd00::1")).doesNotContain(IpAddress.parse("fd00::2"));
    }

    @Test
    void capturePointsAreEqualByRoleAndName() {
        assertThat(CapturePoint.of(Role.PARENT, "uplink0")).isEqualTo(CapturePoint.of(Role.PARENT, "uplink0"))
                .hasSameHashCodeAs(CapturePoint.of(Role.PARENT, "uplink0"));
        assertThat(CapturePoint.of(Role.PARENT, "host:x")).isNotEqualTo(CapturePoint.of(Role.SHIM, "host:x"));
        assertThat(CapturePoint.ofContainer("app0", "c1")).isNotEqualTo(CapturePoint.ofContainer("app0", "c2"));
    }
}
