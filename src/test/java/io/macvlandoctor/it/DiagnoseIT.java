package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** diagnose names exactly the causes each broken state has, on the lab and on topologies built by hand. */
@RootOnly
class DiagnoseIT {
    @TempDir
    Path dir;

    static List<String> causes(Map<String, Object> report) {
        return Json.list(report, "diagnosis").stream().map(d -> (String) d.get("cause")).toList();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--fixed                                   | ''",
        "''                                        | no-shim",
        "--fault shim-down                         | shim-down",
        "--fault shim-mode                         | shim-mode",
        "--fault shim-mode=vepa                    | shim-mode",
        "--fault no-route                          | no-route",
        "--fault route-mismatch                    | route-mismatch",
        "--fault arp-ignore                        | arp-ignore",
        "--fault arp-filter                        | ''",
        "--fault rp-filter                         | ''",
        "--fault arp-filter --fault route-mismatch | route-mismatch arp-filter",
        "--fault rp-filter --fault route-mismatch  | route-mismatch rp-filter",
        "--fault rp-filter --fault no-route        | no-route rp-filter",
        "--fault arp-ignore --fault no-route       | no-route arp-ignore",
        "--fault parent-down                       | parent-down"})
    void eachLabStateGivesExactlyItsCauses(String args, String expected) {
        String[] a = args.isBlank() ? new String[0] : args.trim().split("\\s+");
        try (TestLab lab = TestLab.up(a)) {
            Path json = dir.resolve("d.json");
            Cli.Result r = Cli.tool("diagnose", "--lab", lab.name, "--report-json", json.toString());
            List<String> want = expected.isBlank() ? List.of() : List.of(expected.trim().split("\\s+"));
            assertThat(r.exit()).as(r.toString()).isEqualTo(want.isEmpty() ? 0 : 1);
            Map<String, Object> rep = Json.read(json);
            assertThat(causes(rep)).as(r.toString()).containsExactlyElementsOf(want);
            for (Map<String, Object> d : Json.list(rep, "diagnosis")) {
                assertThat((String) d.get("summary")).isNotBlank();
                assertThat((List<?>) d.get("fix")).isNotEmpty();
            }
            assertThat((List<?>) rep.get("facts")).isNotEmpty();
        }
    }

    /** The fix the diagnosis prints, run as printed, mends the path. */
    @Test
    void theFixesItPrintsWork() {
        try (TestLab lab = TestLab.up("--fault", "rp-filter", "--fault", "route-mismatch")) {
            Path json = dir.resolve("f.json");
            Cli.tool("diagnose", "--lab", lab.name, "--report-json", json.toString());
            Map<String, Object> route = Json.list(Json.read(json), "diagnosis").get(0);
            assertThat(route.get("cause")).isEqualTo("route-mismatch");
            for (Object cmd : (List<?>) route.get("fix")) {
                Cli.Result r = Cli.exec(cmd.toString().split(" "));
                assertThat(r.exit()).as(r.toString()).isZero();
            }
            Cli.Result after = Cli.tool("diagnose", "--lab", lab.name);
            assertThat(after.exit()).as(after.toString()).isZero();
        }
    }

    /** Other names and addresses, and sysctls set on the shim itself rather than on "all". */
    @Test
    void perInterfaceSysctlsOnAHandBuiltTopology() {
        try (HandBuilt t = HandBuilt.create()) {
            t.sysctl(t.host, "mv-shim", "arp_ignore", 2);
            Path json = dir.resolve("h.json");
            Cli.Result r = Cli.tool("diagnose", "--host-netns", t.host, "--container-netns", t.ctr, "--report-json",
                    json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            Map<String, Object> d = Json.list(Json.read(json), "diagnosis").get(0);
            assertThat(causes(Json.read(json))).containsExactly("arp-ignore");
            assertThat((String) d.get("summary")).startsWith("net.ipv4.conf.mv-shim.arp_ignore=2");
            assertThat(d.get("fix")).isEqualTo(List.of(
                    "ip netns exec " + t.host + " sysctl -w net.ipv4.conf.mv-shim.arp_ignore=0"));

            t.sysctl(t.host, "mv-shim", "arp_ignore", 0);
            t.sysctl(t.host, "mv-shim", "rp_filter", 1);
            t.ip("-n", t.host, "route", "del", "10.20.5.7", "dev", "mv-shim");
            t.ip("-n", t.host, "route", "add", "10.20.5.1", "dev", "mv-shim");
            Cli.Result r2 = Cli.tool("diagnose", "--host-netns", t.host, "--container-netns", t.ctr, "--force", "--report-json",
                    json.toString());
            assertThat(r2.exit()).as(r2.toString()).isEqualTo(1);
            assertThat(causes(Json.read(json))).containsExactly("route-mismatch", "rp-filter");

            t.ip("-n", t.host, "route", "del", "10.20.5.1", "dev", "mv-shim");
            t.ip("-n", t.host, "route", "add", "10.20.99.99", "dev", "mv-shim");
            Cli.Result r3 = Cli.tool("diagnose", "--host-netns", t.host, "--container-netns", t.ctr, "--force", "--report-json",
                    json.toString());
            assertThat(causes(Json.read(json))).as(r3.toString()).containsExactly("no-route", "rp-filter");
        }
    }

    @Test
    void verifyIncludesTheDiagnosisWhenACheckFails() {
        try (TestLab lab = TestLab.up("--fault", "arp-ignore")) {
            Cli.Result r = Cli.tool("verify", "--lab", lab.name);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).contains("diagnosis:").contains("arp-ignore: net.ipv4.conf.all.arp_ignore=1");
        }
    }

    @Test
    void aContainerWhoseInterfaceIsDown() {
        try (TestLab lab = TestLab.up("--fixed")) {
            Cli.exec("ip", "-n", lab.ctrNs(), "link", "set", "eth0", "down");
            Path json = dir.resolve("c.json");
            Cli.Result r = Cli.tool("diagnose", "--lab", lab.name, "--report-json", json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(causes(Json.read(json))).containsExactly("container-down");
        }
    }
}
