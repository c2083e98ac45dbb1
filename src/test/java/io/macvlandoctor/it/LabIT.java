package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lab and setup/teardown against the real kernel, judged by iputils (ping, arping), not by our own code. */
@RootOnly
class LabIT {
    @SuppressWarnings("unchecked")
    static Map<String, Object> link(String json, String name) {
        for (Object o : (List<Object>) Json.parse(json)) {
            Map<String, Object> l = (Map<String, Object>) o;
            if (name.equals(l.get("ifname"))) {
                return l;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static String macvlanMode(Map<String, Object> link) {
        Map<String, Object> info = (Map<String, Object>) link.get("linkinfo");
        return info.get("info_kind") + "/" + ((Map<String, Object>) info.get("info_data")).get("mode");
    }

    @Test
    void setupFixesTheArticlesTopologyAndTeardownUndoesIt() {
        String name;
        try (TestLab lab = TestLab.up()) {
            name = lab.name;
            assertThat(lab.hostPingsContainer()).as("before the fix the host cannot reach the container").isFalse();

            Cli.Result setup = Cli.tool("setup", "--lab", lab.name);
            assertThat(setup.exit()).as(setup.toString()).isZero();
            assertThat(setup.out()).contains("link add link ens33 name macvlan0-host type macvlan mode bridge");
            assertThat(lab.hostPingsContainer()).as("after setup").isTrue();
            assertThat(lab.containerPingsHostAfterFlush()).as("after setup, the other way").isTrue();
            Map<String, Object> shim = link(lab.links(lab.hostNs()), "macvlan0-host");
            assertThat(shim).isNotNull();
            assertThat(macvlanMode(shim)).isEqualTo("macvlan/bridge");
            assertThat(String.valueOf(shim.get("flags"))).contains("UP");
            assertThat(lab.routes()).contains("192.168.136.240 dev macvlan0-host");

            Cli.Result again = Cli.tool("setup", "--lab", lab.name);
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(again.out()).contains("nothing to do");

            Cli.Result teardown = Cli.tool("teardown", "--lab", lab.name);
            assertThat(teardown.exit()).as(teardown.toString()).isZero();
            assertThat(link(lab.links(lab.hostNs()), "macvlan0-host")).isNull();
            assertThat(lab.routes()).doesNotContain("macvlan0-host");
            lab.flushNeighbours();
            assertThat(lab.hostPingsContainer()).as("after teardown").isFalse();
        }
        assertThat(Cli.exec("ip", "netns", "list").out()).doesNotContain("mvd-" + name + "-");
    }

    @Test
    void dryRunPrintsTheCommandsAndChangesNothing() {
        try (TestLab lab = TestLab.up()) {
            String before = lab.hostState();
            Cli.Result r = Cli.tool("setup", "--lab", lab.name, "--dry-run");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("ip -n " + lab.hostNs() + " link add link ens33 name macvlan0-host type macvlan mode bridge")
                    .contains("ip -n " + lab.hostNs() + " route add 192.168.136.240 dev macvlan0-host");
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    @Test
    void teardownLeavesWhatItDidNotCreate() {
        try (TestLab lab = TestLab.up("--fixed")) {
            Cli.Result setup = Cli.tool("setup", "--lab", lab.name, "--shim-ip", "192.168.136.131/32");
            assertThat(setup.exit()).as(setup.toString()).isZero();
            assertThat(setup.out()).contains("addr add 192.168.136.131/32").doesNotContain("link add");
            Cli.Result teardown = Cli.tool("teardown", "--lab", lab.name);
            assertThat(teardown.exit()).as(teardown.toString()).isZero();
            Map<String, Object> shim = link(lab.links(lab.hostNs()), "macvlan0-host");
            assertThat(shim).as("the lab's own shim stays").isNotNull();
            assertThat(lab.routes()).as("and so does the lab's own route, which the kernel dropped with the "
                    + "shim's last address").contains("192.168.136.240 dev macvlan0-host");
            assertThat(lab.hostPingsContainer()).isTrue();
        }
    }

    /** docs/kernel-behaviour.md, row by row: container arping host, host ping container, container ping host (flushed). */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--fixed                                   | true  | true  | true",
        "''                                        | false | false | false",
        "--fault shim-down                         | false | false | false",
        "--fault shim-mode                         | false | false | false",
        "--fault shim-mode=vepa                    | false | false | false",
        "--fault no-route                          | true  | false | false",
        "--fault route-mismatch                    | true  | false | false",
        "--fault arp-ignore                        | false | true  | false",
        "--fault rp-filter --fault route-mismatch  | false | false | false",
        "--fault arp-filter                        | true  | true  | true",
        "--fault arp-filter --fault route-mismatch | false | false | false",
        "--fault parent-down                       | false | false | false"})
    void eachFaultReproducesItsRowOfTheDesignTable(String args, boolean arping, boolean hostPing, boolean ctrPing) {
        String[] a = args.isBlank() ? new String[0] : args.trim().split("\\s+");
        try (TestLab lab = TestLab.up(a)) {
            assertThat(lab.containerArpingsHost()).as("container arping host").isEqualTo(arping);
            assertThat(lab.hostPingsContainer()).as("host ping container").isEqualTo(hostPing);
            assertThat(lab.containerPingsHostAfterFlush()).as("container ping host").isEqualTo(ctrPing);
        }
    }

    @Test
    void labListAndDownAll() {
        try (TestLab a = TestLab.up(); TestLab b = TestLab.up("--fixed")) {
            Cli.Result list = Cli.tool("lab", "list");
            assertThat(list.out()).contains(a.name + "  (mvd-" + a.name + "-ctr").contains(b.name);
            Cli.Result exists = Cli.tool("lab", "up", "--name", a.name);
            assertThat(exists.exit()).isEqualTo(3);
            assertThat(exists.err()).contains("already exists");
        }
    }
}
