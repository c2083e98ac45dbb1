package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** verify on a lab with several containers on one parent: all at once, each judged on its own. */
@RootOnly
class ManyContainersIT {
    @TempDir
    Path dir;

    @Test
    void everyContainerIsCheckedAndABrokenOneIsNamed() throws Exception {
        try (TestLab lab = TestLab.up("--fixed", "--containers", "5", "--container-ip", "192.168.136.100")) {
            Path json = dir.resolve("m.json");
            Path junit = dir.resolve("m.xml");
            Path ng = dir.resolve("m.pcapng");
            Cli.Result ok = Cli.tool("verify", "--lab", lab.name, "--report-json", json.toString(), "--junit",
                    junit.toString(), "--pcapng", ng.toString());
            assertThat(ok.exit()).as(ok.toString()).isZero();
            assertThat(ok.out()).contains("verdict: PASS (5 containers: 5 passed, 0 failed, 0 inconclusive)");
            Map<String, Object> rep = Json.read(json);
            assertThat(rep.get("verdict")).isEqualTo("pass");
            assertThat(Json.map(rep, "summary")).containsEntry("containers", 5L);
            assertThat(Json.map(rep, "summary", "checks")).containsEntry("pass", 40L).containsEntry("fail", 0L);
            // Interface blocks keep <role>:<iface>, the container's namespace label qualifying its interface.
            Cli.Result names = Cli.exec("tshark", "-r", ng.toString(), "-T", "fields", "-e", "frame.interface_name");
            assertThat(names.exit()).as(names.toString()).isZero();
            assertThat(names.out().lines().distinct()).contains("host:macvlan0-host", "container:eth0@ctr",
                    "container:eth0@ctr2", "container:eth0@ctr5");
            List<Map<String, Object>> each = Json.list(rep, "containers");
            assertThat(each).hasSize(5).allMatch(r -> "pass".equals(r.get("verdict")));
            assertThat(each).extracting(r -> Json.map(r, "topology", "container").get("ip"))
                    .containsExactly("192.168.136.100", "192.168.136.101", "192.168.136.102", "192.168.136.103",
                            "192.168.136.104");
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
            assertThat(d.getElementsByTagName("testsuite").getLength()).isEqualTo(5);
            assertThat(d.getElementsByTagName("testcase").getLength()).as("the host path's 8 checks each: many-container runs leave the LAN to runs of one")
                    .isEqualTo(40);
            io.macvlandoctor.report.JunitSchemas.assertValid(junit);

            // One container loses its route: it alone fails, with its cause.
            Cli.exec("ip", "-n", lab.hostNs(), "route", "del", "192.168.136.102", "dev", "macvlan0-host");
            Cli.Result bad = Cli.tool("diagnose", "--lab", lab.name, "--force", "--report-json", json.toString());
            assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
            assertThat(bad.out()).contains("verdict: FAIL (5 containers: 4 passed, 1 failed, 0 inconclusive)");
            List<Map<String, Object>> after = Json.list(Json.read(json), "containers");
            for (Map<String, Object> r : after) {
                String ip = (String) Json.map(r, "topology", "container").get("ip");
                List<Map<String, Object>> causes = Json.list(r, "diagnosis");
                if (ip.equals("192.168.136.102")) {
                    assertThat(r.get("verdict")).isEqualTo("fail");
                    assertThat(causes).extracting(c -> c.get("cause")).containsExactly("no-route");
                } else {
                    assertThat(r.get("verdict")).as(ip).isEqualTo("pass");
                    assertThat(causes).isEmpty();
                }
            }

            // verify reads the kernel's decisions only for the container that failed: they are its evidence.
            Cli.Result again = Cli.tool("verify", "--lab", lab.name, "--force", "--report-json", json.toString());
            assertThat(again.exit()).as(again.toString()).isEqualTo(1);
            for (Map<String, Object> r : Json.list(Json.read(json), "containers")) {
                String ip = (String) Json.map(r, "topology", "container").get("ip");
                List<Object> decisions = Json.list(r, "phases").stream()
                        .flatMap(p -> ((List<?>) p.get("kernel")).stream()).map(Object.class::cast).toList();
                if (ip.equals("192.168.136.102")) {
                    assertThat(decisions).as(ip).isNotEmpty();
                } else {
                    assertThat(decisions).as(ip).isEmpty();
                }
            }

            // One of them by name, and --setup on one only.
            Cli.Result one = Cli.tool("verify", "--lab", lab.name, "--container-netns", "mvd-" + lab.name + "-ctr2");
            assertThat(one.exit()).as(one.toString()).isZero();
            assertThat(one.out()).contains("192.168.136.101").contains("verdict: PASS (12 passed");
            Cli.Result setup = Cli.tool("verify", "--lab", lab.name, "--setup");
            BadInputIT.assertOneLineError(setup, 2, "verify --setup works on one container");
        }
    }

    @Test
    void tooManyContainersForTheSubnetIsABadInput() {
        Cli.Result r = Cli.tool("lab", "up", "--name", "toomany" + ProcessHandle.current().pid(), "--containers",
                "30");
        BadInputIT.assertOneLineError(r, 2, "do not fit");
    }
}
