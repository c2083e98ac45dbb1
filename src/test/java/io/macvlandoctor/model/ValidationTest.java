package io.macvlandoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {
    @ParameterizedTest
    @ValueSource(strings = {"eth0", "macvlan0-host", "ens33", "eth0.100", "veth_a+b", "a@b", "123456789012345"})
    void acceptsNamesTheKernelTakes(String name) {
        assertThat(InterfaceName.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "1234567890123456", "a/b", "a b", "a\tb", "a;b", "a:b", "a$b", "é"})
    void refusesNamesTheKernelRefusesOrThatOnlyCauseTrouble(String name) {
        assertThatThrownBy(() -> InterfaceName.validate(name)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid interface name");
    }

    @Test
    void parsesStrictDottedQuads() {
        assertThat(Ipv4.format(Ipv4.parse("192.168.136.240"))).isEqualTo("192.168.136.240");
        assertThat(Ipv4.parse("0.0.0.0")).isZero();
        assertThat(Ipv4.parse("255.255.255.255")).isEqualTo(-1);
        for (String bad : new String[] {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.a", "", "1..2.3", " 1.2.3.4"}) {
            assertThat(Ipv4.tryParse(bad)).as(bad).isNull();
            assertThatThrownBy(() -> Ipv4.parse(bad)).isInstanceOf(UsageException.class);
        }
    }

    @Test
    void cidrContainsAndFormats() {
        Cidr c = Cidr.parse("192.168.136.130/24");
        assertThat(c.contains(Ipv4.parse("192.168.136.240"))).isTrue();
        assertThat(c.contains(Ipv4.parse("192.168.137.1"))).isFalse();
        assertThat(Cidr.parse("10.0.0.1")).isEqualTo(new Cidr(Ipv4.parse("10.0.0.1"), 32));
        assertThat(Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("8.8.8.8"))).isTrue();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/33")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/")).isInstanceOf(UsageException.class);
    }

    @Test
    void macRoundTrip() {
        assertThat(Mac.format(Mac.parse("02:42:C0:A8:88:F0"))).isEqualTo("02:42:c0:a8:88:f0");
        assertThat(Mac.isMulticast(Mac.BROADCAST)).isTrue();
        assertThat(Mac.isMulticast(Mac.parse("02:42:c0:a8:88:f0"))).isFalse();
        assertThatThrownBy(() -> Mac.parse("02:42:c0:a8:88")).isInstanceOf(UsageException.class);
    }

    @Test
    void netnsNamesAndPaths() {
        assertThat(Netns.parse("mvd-lab-host").ipCommand()).containsExactly("ip", "-n", "mvd-lab-host");
        assertThat(Netns.parse("/proc/42/ns/net").ipCommand()).containsExactly("nsenter", "--net=/proc/42/ns/net", "ip");
        assertThat(Netns.CURRENT.ipCommand()).containsExactly("ip");
        assertThatThrownBy(() -> Netns.parse("bad name")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Netns.parse("-n")).isInstanceOf(UsageException.class);
    }
}
