package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input: the documented exit code, one line on stderr, no stack trace, nothing changed on the host. */
@RootOnly
class BadInputIT {
    static void assertOneLineError(Cli.Result r, int exit, String contains) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("macvlan-doctor: ").contains(contains)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingNamespacesAndInterfacesAreEnvironmentErrors() {
        assertOneLineError(Cli.tool("setup", "--lab", "nosuchlab"), 3, "lab 'nosuchlab' is not up");
        assertOneLineError(Cli.tool("setup", "--host-netns", "mvd-nosuch-host", "--parent", "ens33",
                "--container-ip", "10.0.0.2"), 3, "network namespace 'mvd-nosuch-host' not found");
        assertOneLineError(Cli.tool("setup", "--host-netns", "/run/netns/mvd-nosuch", "--parent", "ens33",
                "--container-ip", "10.0.0.2"), 3, "not found");
        assertOneLineError(Cli.tool("teardown", "--lab", "nosuchlab"), 3, "is not up");
        try (TestLab lab = TestLab.up()) {
            String before = lab.hostState();
            assertOneLineError(Cli.tool("setup", "--lab", lab.name, "--parent", "nosuch0"), 3,
                    "interface nosuch0 not found in namespace " + lab.hostNs());
            assertOneLineError(Cli.tool("setup", "--lab", lab.name, "--container-iface", "nosuch0"), 3,
                    "interface nosuch0 not found in namespace " + lab.ctrNs());
            assertOneLineError(Cli.tool("setup", "--container-netns", "/etc/hostname", "--parent", "x0"), 2,
                    "is not a network namespace");
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    @Test
    void invalidNamesAndAddressesAreUsageErrorsAndChangeNothing() {
        try (TestLab lab = TestLab.up()) {
            String before = lab.hostState();
            List<String[]> bad = new ArrayList<>();
            for (String name : new String[] {"waytoolongname16", "a/b", "a b", "a;b", ""}) {
                bad.add(new String[] {"--shim", name});
                bad.add(new String[] {"--parent", name});
            }
            bad.add(new String[] {"--container-ip", "192.168.136.999"});
            bad.add(new String[] {"--container-ip", "192.168.136"});
            bad.add(new String[] {"--shim-ip", "192.168.136.131/40"});
            bad.add(new String[] {"--mode", "private"});
            for (String[] opt : bad) {
                List<String> argv = new ArrayList<>(List.of("setup", "--lab", lab.name));
                argv.addAll(List.of(opt));
                Cli.Result r = Cli.tool(argv.toArray(String[]::new));
                assertThat(r.exit()).as(r.toString()).isEqualTo(2);
                assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
                assertThat(r.err()).doesNotContain("Exception");
            }
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    @Test
    void withoutTheCapabilitiesItSaysSoAndChangesNothing() {
        try (TestLab lab = TestLab.up()) {
            String before = lab.hostState();
            List<String> argv = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_admin,-net_raw,-sys_admin",
                    "--inh-caps", "-all", java(), "-jar", Cli.jar().toString(), "setup", "--lab", lab.name));
            Cli.Result r = Cli.exec(argv.toArray(String[]::new));
            assertOneLineError(r, 3, "needs root");
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    private static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
