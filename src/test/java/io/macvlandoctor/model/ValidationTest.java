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
        assertThat(IpAddress.parse("192.168.136.240").toString()).isEqualTo("192.168.136.240");
        assertThat(IpAddress.parse("0.0.0.0").v4bits()).isZero();
        assertThat(IpAddress.parse("255.255.255.255").v4bits()).isEqualTo(-1);
        for (String bad : new String[] {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.a", "", "1..2.3",
            " 1.2.3.4", "1.2.3.4 "}) {
            assertThat(IpAddress.tryParse(bad)).as(bad).isNull();
            assertThatThrownBy(() -> IpAddress.parse(bad)).isInstanceOf(UsageException.class);
        }
    }

    @Test
    void parsesIpv6AndWritesItCanonically() {
        assertThat(IpAddress.parse("fd00:136::240").toString()).isEqualTo("fd00:136::240");
        assertThat(IpAddress.parse("FD00:0136:0000:0000:0000:0000:0000:0240").toString()).isEqualTo("fd00:136::240");
        assertThat(IpAddress.parse("::").toString()).isEqualTo("::");
        assertThat(IpAddress.parse("::1").toString()).isEqualTo("::1");
        assertThat(IpAddress.parse("fe80::").toString()).isEqualTo("fe80::");
        // RFC 5952: the longest run of zeros, the first of equal runs, never a single group.
        assertThat(IpAddress.parse("2001:db8:0:0:1:0:0:1").toString()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddress.parse("2001:db8:0:1:1:1:1:1").toString()).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddress.parse("::ffff:192.0.2.1").toString()).isEqualTo("::ffff:c000:201");
        assertThat(IpAddress.parse("fe80::1").isLinkLocal()).isTrue();
        assertThat(IpAddress.parse("fd00::1").isLinkLocal()).isFalse();
        assertThat(IpAddress.parse("ff02::1:ff00:240").isMulticast()).isTrue();
        assertThat(IpAddress.parse("fd00:136::240").plus(2).toString()).isEqualTo("fd00:136::242");
        assertThat(IpAddress.parse("fd00:136::ffff:ffff:ffff:ffff").plus(1).toString()).isEqualTo("fd00:136:0:1::");
        for (String bad : new String[] {":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "g::1", "12345::1", "1:2", ":1:2::",
            "fe80::1%eth0", "1::2:"}) {
            assertThat(IpAddress.tryParse(bad)).as(bad).isNull();
        }
        assertThatThrownBy(() -> IpAddress.parse("fd00::1", Family.V4)).isInstanceOf(UsageException.class)
                .hasMessageContaining("IPv4");
    }

    @Test
    void cidrContainsAndFormats() {
        Cidr c = Cidr.parse("192.168.136.130/24");
        assertThat(c.contains(IpAddress.parse("192.168.136.240"))).isTrue();
        assertThat(c.contains(IpAddress.parse("192.168.137.1"))).isFalse();
        assertThat(c.contains(IpAddress.parse("fd00::1"))).isFalse();
        assertThat(Cidr.parse("10.0.0.1")).isEqualTo(new Cidr(IpAddress.parse("10.0.0.1"), 32));
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("192.168.136.241/28").destination()).isEqualTo("192.168.136.240/28");
        assertThat(Cidr.parse("fd00:136::240/64").contains(IpAddress.parse("fd00:136::9"))).isTrue();
        assertThat(Cidr.parse("fd00:136::240/64").contains(IpAddress.parse("fd00:137::9"))).isFalse();
        assertThat(Cidr.parse("fd00:136::240").destination()).isEqualTo("fd00:136::240");
        assertThat(Cidr.parse("fd00:136::241/120").destination()).isEqualTo("fd00:136::200/120");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/33")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Cidr.parse("fd00::/129")).isInstanceOf(UsageException.class);
    }

    @Test
    void sysctlNamesWithDotsInTheDeviceTakeTheSlashForm() {
        assertThat(Sysctl.key(Sysctl.conf4("all", "arp_ignore"))).isEqualTo("net.ipv4.conf.all.arp_ignore");
        assertThat(Sysctl.key(Sysctl.conf4("mv.host", "arp_filter"))).isEqualTo("net/ipv4/conf/mv.host/arp_filter");
        assertThat(Sysctl.path(Sysctl.conf4("mv.host", "arp_filter")))
                .isEqualTo("/proc/sys/net/ipv4/conf/mv.host/arp_filter");
        assertThat(Sysctl.path(Sysctl.neigh6("shim0", "proxy_delay"))).isEqualTo("/proc/sys/net/ipv6/neigh/shim0/proxy_delay");
        assertThat(Sysctl.path("net.ipv4.icmp_echo_ignore_all")).isEqualTo("/proc/sys/net/ipv4/icmp_echo_ignore_all");
        assertThat(Netns.named("ns1").sysctl(Sysctl.conf4("eth0.100", "rp_filter"), 2))
                .isEqualTo("ip netns exec ns1 sysctl -w net/ipv4/conf/eth0.100/rp_filter=2");
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
