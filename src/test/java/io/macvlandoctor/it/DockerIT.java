package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Docker daemon, confined to a lab's host namespace (lab up --docker). */
@RootOnly
@Order(LongestFirst.DOCKER)
class DockerIT {
    @TempDir
    Path dir;

    static String dockerHost(TestLab lab) {
        return "unix:///run/macvlan-doctor/lab-" + lab.name + "/docker.sock";
    }

    static Cli.Result docker(TestLab lab, String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "docker";
        argv[1] = "-H";
        argv[2] = dockerHost(lab);
        System.arraycopy(args, 0, argv, 3, args.length);
        return Cli.exec(argv);
    }

    /** The target options that name a container of the lab's daemon. */
    static String[] byName(TestLab lab, String container, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--container", container, "--docker-host", dockerHost(lab),
                "--host-netns", lab.hostNs()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static String[] cmd(String command, String[] target) {
        String[] a = new String[target.length + 1];
        a[0] = command;
        System.arraycopy(target, 0, a, 1, target.length);
        return a;
    }

    @Test
    void byContainerNameDiagnoseFindsNoShimAndVerifySetupPasses() {
        try (TestLab lab = TestLab.up("--docker")) {
            String before = lab.hostState();
            Path json = dir.resolve("d.json");
            Cli.Result d = Cli.tool(cmd("diagnose", byName(lab, "c1", "--report-json", json.toString())));
            assertThat(d.exit()).as(d.toString()).isEqualTo(1);
            assertThat(Json.list(Json.read(json), "diagnosis").get(0).get("cause")).isEqualTo("no-shim");

            Cli.Result v = Cli.tool(cmd("verify", byName(lab, "c1", "--setup")));
            assertThat(v.exit()).as(v.toString()).isZero();
            assertThat(v.out()).contains("verdict: PASS (13 passed").doesNotContain("FAIL  ");
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    /** A dual-stack Docker network (--ipv6): the container's IPv6 address comes from Docker, both families pass. */
    @Test
    void aDualStackNetworkByContainerName() {
        try (TestLab lab = TestLab.up("--docker", "--ipv6")) {
            String before = lab.hostState();
            Path json = dir.resolve("6.json");
            Cli.Result v = Cli.tool(cmd("verify", byName(lab, "c1", "--setup", "--report-json", json.toString())));
            assertThat(v.exit()).as(v.toString()).isZero();
            Map<String, Object> rep = Json.read(json);
            assertThat(Json.map(rep, "topology", "container").get("ipv6")).isNotNull();
            assertThat(Json.check(rep, "ipv6.host-to-container.icmp").get("status")).isEqualTo("pass");
            assertThat(Json.check(rep, "ipv6.container-to-host.ndp-proxy").get("status")).isEqualTo("pass");
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    /** Three containers of one network in one run; setup --docker-network routes the network once. */
    @Test
    void aWholeNetworkInOneRun() {
        try (TestLab lab = TestLab.up("--docker")) {
            for (String[] c : new String[][] {{"c2", "192.168.136.241"}, {"c3", "192.168.136.242"}}) {
                Cli.Result run = docker(lab, "run", "-d", "--name", c[0], "--network=macvlan0", "--ip=" + c[1],
                        "mvd-busybox", "/bin/sleep", "999999");
                assertThat(run.exit()).as(run.toString()).isZero();
            }
            String[] net = {"--docker-network", "macvlan0", "--docker-host", dockerHost(lab), "--host-netns",
                lab.hostNs()};
            Path json = dir.resolve("n.json");
            Path ng = dir.resolve("n.pcapng");
            Cli.Result before = Cli.tool(cmd("verify", concat(net, "--report-json", json.toString(), "--pcapng",
                    ng.toString())));
            assertThat(before.exit()).as(before.toString()).isEqualTo(1);
            assertThat(before.out()).contains("verdict: FAIL (3 containers: 0 passed, 3 failed, 0 inconclusive)");
            Map<String, Object> rep = Json.read(json);
            List<Map<String, Object>> each = Json.list(rep, "containers");
            assertThat(each).hasSize(3).allMatch(r -> "fail".equals(r.get("verdict")));
            assertThat(each).extracting(r -> r.get("container")).containsExactly("c1", "c2", "c3");
            assertThat(Cli.exec("tshark", "-r", ng.toString(), "-T", "fields", "-e", "frame.interface_name").out())
                    .contains("container:eth0@c2");

            Cli.Result setup = Cli.tool(cmd("setup", net));
            assertThat(setup.exit()).as(setup.toString()).isZero();
            assertThat(setup.out()).contains("route:  192.168.136.240/28 (the ip-range of Docker network macvlan0)")
                    .containsOnlyOnce("route add");
            Cli.Result after = Cli.tool(cmd("verify", net));
            assertThat(after.exit()).as(after.toString()).isZero();
            assertThat(after.out()).contains("verdict: PASS (3 containers: 3 passed, 0 failed, 0 inconclusive)");

            // A container given an address outside the routed range: ipam-overlap, and its fix mends it.
            Cli.Result odd = docker(lab, "run", "-d", "--name", "c4", "--network=macvlan0", "--ip=192.168.136.100",
                    "mvd-busybox", "/bin/sleep", "999999");
            assertThat(odd.exit()).as(odd.toString()).isZero();
            Cli.Result d = Cli.tool(cmd("diagnose", concat(net, "--report-json", json.toString(), "--force")));
            assertThat(d.exit()).as(d.toString()).isEqualTo(1);
            Map<String, Object> c4 = Json.list(Json.read(json), "containers").stream()
                    .filter(r -> "c4".equals(r.get("container"))).findFirst().orElseThrow();
            assertThat(DiagnoseIT.causes(c4)).containsExactly("ipam-overlap");
            DiagnoseIT.fixes(c4).forEach(DiagnoseIT::runAsPrinted);
            Cli.Result mended = Cli.tool(cmd("verify", net));
            assertThat(mended.exit()).as(mended.toString()).isZero();
            assertThat(Cli.tool("teardown", "--host-netns", lab.hostNs()).exit()).isZero();
        }
    }

    /** A shim address in the range Docker hands out, not reserved: a hazard named even while the path works. */
    @Test
    void aShimAddressDockerMayHandOut() {
        try (TestLab lab = TestLab.up("--docker")) {
            Cli.Result s = Cli.tool(cmd("setup", byName(lab, "c1", "--shim-ip", "192.168.136.250/32")));
            assertThat(s.exit()).as(s.toString()).isZero();
            Path json = dir.resolve("h.json");
            Cli.Result v = Cli.tool(cmd("verify", byName(lab, "c1", "--report-json", json.toString())));
            assertThat(v.exit()).as(v.toString()).isZero();
            Map<String, Object> rep = Json.read(json);
            assertThat(rep.get("verdict")).isEqualTo("pass");
            assertThat(DiagnoseIT.causes(rep)).containsExactly("ipam-overlap");
            assertThat(Json.list(rep, "diagnosis").get(0).get("summary").toString()).contains("192.168.136.250")
                    .contains("192.168.136.240/28");
            assertThat(Cli.tool("teardown", "--host-netns", lab.hostNs()).exit()).isZero();
        }
    }

    /** Docker-level causes: a network in private mode, and one whose parent went away. */
    @Test
    void networkModeAndAMissingParent() {
        try (TestLab lab = TestLab.up("--docker")) {
            Cli.exec("ip", "-n", lab.hostNs(), "link", "add", "ens35", "type", "veth", "peer", "name", "ens35p");
            Cli.exec("ip", "-n", lab.hostNs(), "link", "set", "ens35", "up");
            Cli.exec("ip", "-n", lab.hostNs(), "link", "set", "ens35p", "up");
            assertThat(docker(lab, "network", "create", "-d", "macvlan", "--subnet=10.77.0.0/24", "-o",
                    "parent=ens35", "-o", "macvlan_mode=private", "privnet").exit()).isZero();
            assertThat(docker(lab, "run", "-d", "--name", "p1", "--network=privnet", "mvd-busybox", "/bin/sleep",
                    "999999").exit()).isZero();
            Path json = dir.resolve("m.json");
            Cli.Result mode = Cli.tool(cmd("diagnose", byName(lab, "p1", "--report-json", json.toString())));
            assertThat(mode.exit()).as(mode.toString()).isEqualTo(1);
            assertThat(DiagnoseIT.causes(Json.read(json))).as(mode.toString()).contains("network-mode");

            Cli.exec("ip", "-n", lab.hostNs(), "link", "del", "ens35");
            Cli.Result gone = Cli.tool(cmd("diagnose", byName(lab, "p1", "--report-json", json.toString(),
                    "--force")));
            assertThat(gone.exit()).as(gone.toString()).isEqualTo(1);
            Map<String, Object> rep = Json.read(json);
            assertThat(DiagnoseIT.causes(rep)).as(gone.toString()).containsExactly("network-parent");
            assertThat(Json.list(rep, "diagnosis").get(0).get("summary").toString()).contains("ens35");
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void routingTheIpRangeServesContainersStartedLater() {
        try (TestLab lab = TestLab.up("--docker")) {
            Cli.Result s = Cli.tool(cmd("setup", byName(lab, "c1", "--route", "ip-range")));
            assertThat(s.exit()).as(s.toString()).isZero();
            assertThat(s.out()).contains("192.168.136.240/28 (the ip-range of Docker network macvlan0)");
            Cli.Result run = docker(lab, "run", "-d", "--name", "c2", "--network=macvlan0", "--ip=192.168.136.241",
                    "mvd-busybox", "/bin/sleep", "999999");
            assertThat(run.exit()).as(run.toString()).isZero();
            Cli.Result v = Cli.tool(cmd("verify", byName(lab, "c2")));
            assertThat(v.exit()).as(v.toString()).isZero();
            assertThat(Cli.inNs(lab.hostNs(), "ping", "-n", "-c", "1", "-W", "1", "192.168.136.241").ok()).isTrue();
            assertThat(Cli.tool("teardown", "--host-netns", lab.hostNs()).exit()).isZero();
        }
    }

    @Test
    void lab_verify_runs_the_article_against_docker() {
        Cli.Result r = Cli.tool("lab", "verify", "--docker");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("docker    network create -d macvlan --subnet=192.168.136.0/24 "
                + "--gateway=192.168.136.2 --ip-range=192.168.136.240/28 -o parent=ens33 macvlan0")
                .contains("verdict: PASS (13 passed, 0 failed, 0 unproven)");
        TestLab.assertThrowawayLabGone(r);
    }

    @Test
    void dockerLevelProblemsAndErrors() throws Exception {
        try (TestLab lab = TestLab.up("--docker")) {
            assertThat(docker(lab, "run", "-d", "--name", "lonely", "--network=none", "mvd-busybox", "/bin/sleep",
                    "999999").exit()).isZero();
            Path json = dir.resolve("n.json");
            Path junit = dir.resolve("n.xml");
            Cli.Result none = Cli.tool(cmd("diagnose", byName(lab, "lonely", "--report-json", json.toString(),
                    "--junit", junit.toString())));
            assertThat(none.exit()).as(none.toString()).isEqualTo(1);
            Map<String, Object> d = Json.list(Json.read(json), "diagnosis").get(0);
            assertThat(d.get("cause")).isEqualTo("not-macvlan");
            // Nothing was probed, yet CI must go red: a failing "verdict" testcase.
            assertThat(Files.readString(junit)).contains("failures=\"1\"").contains("name=\"verdict\"")
                    .contains("not-macvlan");

            Cli.Result missing = Cli.tool(cmd("verify", byName(lab, "nosuch")));
            BadInputIT.assertOneLineError(missing, 3, "container 'nosuch' not found");
            Cli.Result down = Cli.tool("verify", "--container", "c1", "--docker-host", "unix:///run/mvd-nothing.sock",
                    "--host-netns", lab.hostNs());
            BadInputIT.assertOneLineError(down, 3, "no Docker daemon answers there");
            assertThat(docker(lab, "stop", "-t", "0", "c1").exit()).isZero();
            Cli.Result stopped = Cli.tool(cmd("verify", byName(lab, "c1")));
            BadInputIT.assertOneLineError(stopped, 3, "container 'c1' is not running");
            Cli.Result both = Cli.tool("verify", "--container", "c1", "--container-pid", "1");
            BadInputIT.assertOneLineError(both, 2, "name the container once");
        }
    }

    @Test
    void labDownStopsTheDaemonAndLeavesNothing() {
        String name;
        try (TestLab lab = TestLab.up("--docker")) {
            name = lab.name;
            assertThat(docker(lab, "ps").out()).contains("c1");
        }
        assertThat(Cli.exec("ip", "netns", "list").out()).doesNotContain("mvd-" + name + "-");
        assertThat(Path.of("/run/macvlan-doctor/lab-" + name)).doesNotExist();
        assertThat(Cli.exec("grep", "-c", "lab-" + name, "/proc/mounts").out().strip()).isEqualTo("0");
        assertThat(Cli.exec("pgrep", "-f", "lab-" + name + "/docker").exit()).as("no daemon left").isNotZero();
    }
}
