package io.macvlandoctor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.PersistFormats.Format;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The boot-time files of each format against golden files (src/test/resources/persist/FORMAT/), which were checked
 * key by key against the formats' documentation: systemd.netdev(5) ([NetDev] Name=, Kind=macvlan; [MACVLAN]
 * Mode=bridge), systemd.network(5) ([Match] Name=; [Link] RequiredForOnline=; [Network] MACVLAN=, IPv6ProxyNDP=,
 * IPv6ProxyNDPAddress=; [Route] Destination=, Scope=), sysctl.d(5) with systemd's udev rule applying per-interface
 * entries as the interface appears, nm-settings-keyfile(5) and nm-settings-nmcli(5) ([connection] type=macvlan,
 * interface-name=; [macvlan] mode=2 (NM_SETTING_MACVLAN_MODE_BRIDGE), parent=; [ipv4]/[ipv6] method=manual,
 * routeN=), NetworkManager-dispatcher(8) (argument 1 the interface, 2 the action). The ifupdown file and the unit
 * are run for real by PersistIT (ifup, systemd-analyze verify and the unit's commands in a lab).
 */
class PersistFormatsTest {
    static final Path GOLDEN = Path.of("src/test/resources/persist");

    static PersistFormats.Input dualStack() {
        return new PersistFormats.Input("macvlan0-host", "ens33", List.of(Cidr.parse("192.168.136.240/28"),
                Cidr.parse("fd00:136::240/128")), IpAddress.parse("fd00:136::130"), null, "10-ens33.network",
                "/usr/bin/ip", "/usr/sbin/sysctl");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void eachFormatWritesItsGoldenFiles(Format f) throws IOException {
        Map<String, String> golden;
        try (Stream<Path> s = Files.walk(GOLDEN.resolve(f.id()))) {
            golden = s.filter(Files::isRegularFile).collect(Collectors.toMap(
                    p -> GOLDEN.resolve(f.id()).relativize(p).toString(), p -> {
                        try {
                            return Files.readString(p);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
        Map<String, String> made = PersistFormats.files(f, dualStack()).stream().filter(x -> x.text() != null)
                .collect(Collectors.toMap(PersistFormats.File::path, PersistFormats.File::text));
        assertThat(made).isEqualTo(golden);
    }

    @Test
    void theKeyfileIsPrivateTheDispatcherRunsAndTheUnitIsEnabled() {
        List<PersistFormats.File> nm = PersistFormats.files(Format.NM, dualStack());
        assertThat(nm).filteredOn(x -> x.path().endsWith(".nmconnection")).singleElement()
                .satisfies(x -> assertThat(x.mode()).isEqualTo(0600));
        assertThat(nm).filteredOn(x -> x.path().contains("dispatcher.d")).singleElement()
                .satisfies(x -> assertThat(x.mode()).isEqualTo(0755));
        assertThat(PersistFormats.files(Format.UNIT, dualStack())).filteredOn(x -> x.linkTarget() != null)
                .singleElement().satisfies(x -> {
                    assertThat(x.path()).isEqualTo(
                            "etc/systemd/system/multi-user.target.wants/macvlan-doctor-macvlan0-host.service");
                    assertThat(x.linkTarget()).isEqualTo("/etc/systemd/system/macvlan-doctor-macvlan0-host.service");
                });
    }

    @Test
    void ipv4OnlyLeavesOutProxyNdpAndAShimAddressGoesIn() {
        PersistFormats.Input v4 = new PersistFormats.Input("mv-shim", "uplink-0", List.of(Cidr.parse("10.20.5.7/32")),
                null, Cidr.parse("10.20.0.99/32"), "20-uplink.network", "/usr/bin/ip", "/usr/sbin/sysctl");
        for (Format f : Format.values()) {
            List<PersistFormats.File> files = PersistFormats.files(f, v4);
            assertThat(files).noneMatch(x -> x.path().contains("sysctl.d") || x.path().contains("dispatcher"));
            assertThat(files).noneMatch(x -> x.text() != null && x.text().contains("proxy"));
            assertThat(files).anyMatch(x -> x.text() != null && x.text().contains("10.20.0.99/32"));
        }
        assertThat(PersistFormats.files(Format.NM, v4).get(0).text()).contains("[ipv6]\nmethod=link-local\n");
        // systemd escapes "-" in the device unit of uplink-0.
        assertThat(PersistFormats.files(Format.UNIT, v4).get(0).text())
                .contains("BindsTo=sys-subsystem-net-devices-uplink\\x2d0.device");
    }
}
