package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * diagnose names exactly the causes each broken lab state has, and its fix, run exactly as printed, mends the path;
 * diagnose --apply does the same through the journal, and teardown puts the broken state back exactly.
 */
@RootOnly
@Order(LongestFirst.DIAGNOSE)
class DiagnoseIT {
    @TempDir
    Path dir;

    static List<String> causes(Map<String, Object> report) {
        return Json.list(report, "diagnosis").stream().map(d -> (String) d.get("cause")).toList();
    }

    /** Every fix[] of the report, in order: each is one command for a root shell. */
    @SuppressWarnings("unchecked")
    static List<String> fixes(Map<String, Object> report) {
        List<String> l = new ArrayList<>();
        for (Map<String, Object> d : Json.list(report, "diagnosis")) {
            l.addAll((List<String>) d.get("fix"));
        }
        return l;
    }

    /** Runs a printed command in a shell, as a person pasting it would. */
    static void runAsPrinted(String cmd) {
        Cli.Result r = Cli.exec("bash", "-c", cmd);
        assertThat(r.exit()).as("running as printed: " + r).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--fixed                                   | ''",
        "--fixed --ipv6                            | ''",
        "''                                        | no-shim",
        "--fault shim-down                         | shim-down",
        "--fault shim-mode                         | shim-mode",
        "--fault shim-mode=vepa                    | shim-mode",
        "--fault shim-parent                       | shim-parent",
        "--fault no-route                          | no-route",
        "--fault route-mismatch                    | route-mismatch",
        "--fault arp-ignore                        | arp-ignore",
        "--fault arp-filter                        | ''",
        "--fault rp-filter                         | ''",
        "--fault arp-filter --fault route-mismatch | route-mismatch arp-filter",
        "--fault rp-filter --fault route-mismatch  | route-mismatch rp-filter",
        "--fault rp-filter --fault no-route        | no-route rp-filter",
        "--fault arp-ignore --fault no-route       | no-route arp-ignore",
        "--fault host-firewall                     | host-firewall",
        "--fault parent-down                       | parent-down",
        "--ipv6 --fault ndp-proxy                  | ndp-proxy",
        "--ipv6 --fault ndp-proxy=forwarding       | ndp-proxy",
        "--ipv6 --fault no-route                   | no-route no-route",
        "--ipv6 --fault shim-down                  | shim-down",
        "--ipv6 --fault shim-mode                  | shim-mode",
        "--ipv6                                    | no-shim"})
    void eachLabStateGivesExactlyItsCausesAndThePrintedFixMendsIt(String args, String expected) {
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
                // A cause without commands of its own says which cause's fix cures it.
                assertThat(!((List<?>) d.get("fix")).isEmpty() || d.get("curedBy") != null).as(d.toString()).isTrue();
            }
            assertThat((List<?>) rep.get("facts")).isNotEmpty();
            if (want.isEmpty()) {
                return;
            }
            String rpBefore = Cli.inNs(lab.hostNs(), "sysctl", "-n", "net.ipv4.conf.all.rp_filter").out();
            for (String cmd : fixes(rep)) {
                runAsPrinted(cmd);
            }
            Cli.Result after = Cli.tool("verify", "--lab", lab.name);
            assertThat(after.exit()).as("after the printed fix: " + after).isZero();
            // The route cured rp_filter: it stays as strict as it was.
            assertThat(Cli.inNs(lab.hostNs(), "sysctl", "-n", "net.ipv4.conf.all.rp_filter").out())
                    .isEqualTo(rpBefore);
        }
    }

    /** Another device with the container's address: named, with nothing to run on the host and notes on what to do. */
    @Test
    void anAddressConflictIsNamedAndLeftToThePeople() {
        try (TestLab lab = TestLab.up("--fault", "ip-conflict")) {
            Path json = dir.resolve("c.json");
            Cli.Result r = Cli.tool("diagnose", "--lab", lab.name, "--report-json", json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            Map<String, Object> rep = Json.read(json);
            assertThat(causes(rep)).as(r.toString()).contains("ip-conflict");
            Map<String, Object> d = Json.list(rep, "diagnosis").stream()
                    .filter(x -> x.get("cause").equals("ip-conflict")).findFirst().orElseThrow();
            assertThat((List<?>) d.get("fix")).isEmpty();
            assertThat((List<?>) d.get("notes")).isNotEmpty();
            assertThat(d.get("summary").toString()).contains(Json.macOf(lab.lanNs(), "gw0"))
                    .contains(Json.macOf(lab.ctrNs(), "eth0"));
            assertThat(rep.get("verdict")).isEqualTo("fail");
        }
    }

    /** --apply runs the fix through the journal; teardown puts the broken state back, exactly. */
    @Test
    void applyMendsThePathAndTeardownRestoresTheBrokenState() {
        try (TestLab lab = TestLab.up("--fault", "route-mismatch", "--fault", "arp-ignore")) {
            String before = lab.hostState() + lab.sysctls("arp_ignore");
            Cli.Result r = Cli.tool("diagnose", "--lab", lab.name, "--apply", "--yes");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("== before").contains("== after").contains("verdict: PASS");
            assertThat(lab.routes()).contains("192.168.136.240 dev macvlan0-host")
                    .doesNotContain("192.168.136.140");
            assertThat(Cli.tool("verify", "--lab", lab.name).exit()).isZero();

            Cli.Result down = Cli.tool("teardown", "--lab", lab.name);
            assertThat(down.exit()).as(down.toString()).isZero();
            assertThat(lab.hostState() + lab.sysctls("arp_ignore")).isEqualTo(before);
        }
    }

    /** Without a terminal to ask on, --apply wants --yes; nothing is changed. */
    @Test
    void applyWithoutATerminalNeedsYes() {
        try (TestLab lab = TestLab.up("--fault", "no-route")) {
            String before = lab.hostState();
            Cli.Result r = Cli.tool("diagnose", "--lab", lab.name, "--apply");
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    @Test
    void verifyIncludesTheDiagnosisWhenACheckFails() {
        try (TestLab lab = TestLab.up("--fault", "arp-ignore")) {
            Cli.Result r = Cli.tool("verify", "--lab", lab.name);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).contains("diagnosis:").contains("arp-ignore (IPv4): net.ipv4.conf.all.arp_ignore=1");
        }
    }

    @Test
    void aContainerWhoseInterfaceIsDown() {
        try (TestLab lab = TestLab.up("--fixed")) {
            Cli.exec("ip", "-n", lab.ctrNs(), "link", "set", "eth0", "down");
            Path json = dir.resolve("c.json");
            Cli.Result r = Cli.tool("diagnose", "--lab", lab.name, "--report-json", json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            Map<String, Object> rep = Json.read(json);
            assertThat(causes(rep)).containsExactly("container-down");
            fixes(rep).forEach(DiagnoseIT::runAsPrinted);
            assertThat(Cli.tool("verify", "--lab", lab.name).exit()).isZero();
        }
    }
}
