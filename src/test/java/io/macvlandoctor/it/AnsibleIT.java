package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.report.JunitSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The Ansible collection against the real ansible-core: "hosts" that are network namespaces built by hand, reached
 * through the community.docker.nsenter connection (a process started in each; never PID 1). One healthy, one
 * without a shim, one whose route goes through the parent, one dual-stack without a shim, and one without the tool.
 * The install role puts the package on; the fleet playbook verifies each, brings the JUnit reports home and merges
 * them (one suite per host, valid against both schemas); the shim module in check mode changes nothing and shows
 * the diff, then fixes the three broken hosts, and a second run changes nothing; the fleet then passes; state=absent
 * restores the start. ansible-lint and ansible-doc check the collection.
 */
@RootOnly
@Order(LongestFirst.ANSIBLE)
class AnsibleIT {
    @TempDir
    Path dir;

    /** A namespace "host" and the process that Ansible enters it through. */
    record Host(String name, HandBuilt topo, Process anchor) {
    }

    /** The collection as scripts/build-collection builds it, installed where this test's playbooks find it. */
    private Path collection() {
        Path collections = dir.resolve("collections");
        Cli.Result built;
        synchronized (AnsibleIT.class) {
            // One build at a time: both tests write target/collection. The built tree is copied for ansible-lint
            // (galaxy.yml is there; the installed one has MANIFEST.json instead).
            built = Cli.build("scripts/build-collection");
            assertThat(Cli.exec("cp", "-a", "target/collection", dir.resolve("built").toString()).exit()).isZero();
        }
        assertThat(built.exit()).as(built.toString()).isZero();
        Path tarball = Path.of(built.out().strip());
        Cli.Result installed = Cli.exec("ansible-galaxy", "collection", "install", "-p", collections.toString(),
                tarball.toString());
        assertThat(installed.exit()).as(installed.toString()).isZero();
        return collections;
    }

    @Test
    @ResourceLock("dpkg")
    void aFleetIsVerifiedFixedAndRestored() throws Exception {
        Path collections = collection();

        Cli.Result deb = Cli.build("scripts/package", "--no-build");
        assertThat(deb.exit()).as(deb.toString()).isZero();
        Map<String, Host> hosts = new LinkedHashMap<>();
        try {
            hosts.put("healthy", host("healthy", HandBuilt.create(HandBuilt.Names.DEFAULT, true, false, true)));
            hosts.put("noshim", host("noshim", HandBuilt.create(HandBuilt.Names.OTHER, true, false, false)));
            HandBuilt bad = HandBuilt.create(HandBuilt.Names.DEFAULT, true, false, true);
            bad.ip("-n", bad.host, "route", "del", bad.n.ctrIp(), "dev", bad.n.shim());
            bad.ip("-n", bad.host, "route", "add", bad.n.ctrIp(), "dev", bad.n.parent());
            hosts.put("badroute", host("badroute", bad));
            hosts.put("dual", host("dual", HandBuilt.create(HandBuilt.Names.OTHER, true, true, false)));
            hosts.put("notool", host("notool", HandBuilt.create(HandBuilt.Names.DEFAULT, true, false, true)));
            Map<String, String> start = new LinkedHashMap<>();
            hosts.forEach((n, h) -> start.put(n, h.topo().hostState()));
            Path inventory = inventory(hosts);
            Path reports = dir.resolve("reports");
            Files.createDirectories(reports);

            Run install = playbook(collections, inventory, "install.yml", "--limit", "!notool", "-e",
                    "macvlan_doctor_deb=" + Path.of(deb.out().strip()).toAbsolutePath());
            assertThat(install.rc()).as(install.out()).isZero();
            Run facts = playbook(collections, inventory, "facts.yml", "--limit", "!notool");
            assertThat(facts.rc()).as(facts.out()).isZero();

            Run before = playbook(collections, inventory, "macvlandoctor.macvlan.fleet", "-e",
                    "macvlan_doctor_reports=" + reports);
            assertThat(before.rc()).as("broken hosts fail the run: " + before.out()).isNotZero();
            assertThat(before.verdicts()).containsEntry("healthy", "pass").containsEntry("noshim", "fail")
                    .containsEntry("badroute", "fail").containsEntry("dual", "fail");
            assertThat(before.out()).contains("macvlan-doctor is not installed on this host")
                    .containsPattern("healthy [0-9.]+:\\s*pass").containsPattern("noshim [0-9.]+:\\s*fail \\(no-shim\\)")
                    .containsPattern("badroute [0-9.]+:\\s*fail \\((route-mismatch|no-route)");
            Path fleet = reports.resolve("fleet.xml");
            String merged = Files.readString(fleet);
            assertThat(Pattern.compile("<testsuite ").matcher(merged).results().count()).as(merged).isEqualTo(4);
            assertThat(merged).contains("name=\"healthy: macvlan-doctor verify\"")
                    .contains("name=\"dual: macvlan-doctor verify\"").doesNotContain("notool");
            JunitSchemas.assertValid(merged);

            Run check = playbook(collections, inventory, "shim.yml", "--limit", "!notool", "--check", "--diff");
            assertThat(check.rc()).as(check.out()).isZero();
            assertThat(check.changed()).containsOnlyKeys("noshim", "badroute", "dual");
            assertThat(check.out()).contains("link add link " + HandBuilt.Names.OTHER.parent() + " name macvlan0-host");
            hosts.forEach((n, h) -> assertThat(h.topo().hostState()).as(n + " after --check").isEqualTo(start.get(n)));

            Run fix = playbook(collections, inventory, "shim.yml", "--limit", "!notool");
            assertThat(fix.rc()).as(fix.out()).isZero();
            assertThat(fix.changed()).containsOnlyKeys("noshim", "badroute", "dual");
            Run again = playbook(collections, inventory, "shim.yml", "--limit", "!notool");
            assertThat(again.rc()).as(again.out()).isZero();
            assertThat(again.changed()).as("a second run changes nothing").isEmpty();

            Run after = playbook(collections, inventory, "macvlandoctor.macvlan.fleet", "--limit", "!notool", "-e",
                    "macvlan_doctor_reports=" + reports);
            assertThat(after.rc()).as(after.out()).isZero();
            assertThat(after.verdicts().values()).containsOnly("pass").hasSize(4);

            Run absent = playbook(collections, inventory, "shim.yml", "--limit", "!notool", "-e", "state=absent");
            assertThat(absent.rc()).as(absent.out()).isZero();
            assertThat(absent.changed()).containsOnlyKeys("noshim", "badroute", "dual");
            hosts.forEach((n, h) -> assertThat(h.topo().hostState()).as(n + " after absent").isEqualTo(start.get(n)));
        } finally {
            for (Host h : hosts.values()) {
                h.anchor().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                h.topo().close();
            }
            Cli.exec("dpkg", "--purge", "macvlan-doctor");
        }
    }

    private static Host host(String name, HandBuilt t) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", t.host, "sleep", "900").start();
        return new Host(name, t, p);
    }

    private Path inventory(Map<String, Host> hosts) throws IOException {
        StringBuilder y = new StringBuilder("all:\n  vars:\n    ansible_connection: community.docker.nsenter\n"
                + "    ansible_python_interpreter: /usr/bin/python3\n  hosts:\n");
        for (Host h : hosts.values()) {
            y.append("    ").append(h.name()).append(":\n      ansible_nsenter_pid: ").append(h.anchor().pid())
                    .append("\n      expected_parent: ").append(h.topo().n.parent())
                    .append("\n      macvlan_doctor_target:\n        container_netns: ").append(h.topo().ctr)
                    .append("\n");
            if (h.name().equals("notool")) {
                y.append("      macvlan_doctor_binary: /opt/nowhere/macvlan-doctor\n");
            }
        }
        Path p = dir.resolve("inventory.yml");
        Files.writeString(p, y.toString());
        return p;
    }

    /** What a playbook run said: its exit code and its output (the json callback's). */
    record Run(int rc, String out) {
        /** Per host, the verdict the verify task returned. */
        Map<String, String> verdicts() {
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> h : taskHosts("Verify every container the host names").entrySet()) {
                Object v = ((Map<?, ?>) h.getValue()).get("verdict");
                if (v != null) {
                    m.put(h.getKey(), v.toString());
                }
            }
            return m;
        }

        /** The hosts the shim task changed. */
        Map<String, Object> changed() {
            Map<String, Object> m = new LinkedHashMap<>();
            taskHosts("Set it up, or take it back").forEach((k, v) -> {
                if (Boolean.TRUE.equals(((Map<?, ?>) v).get("changed"))) {
                    m.put(k, v);
                }
            });
            return m;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> taskHosts(String task) {
            Map<String, Object> all = new LinkedHashMap<>();
            Map<String, Object> root = (Map<String, Object>) io.macvlandoctor.json.Json.parse(
                    out.substring(out.indexOf('{')));
            for (Object p : (List<Object>) root.get("plays")) {
                for (Object t : (List<Object>) ((Map<String, Object>) p).get("tasks")) {
                    Map<String, Object> tm = (Map<String, Object>) t;
                    if (task.equals(((Map<String, Object>) tm.get("task")).get("name"))) {
                        all.putAll((Map<String, Object>) tm.get("hosts"));
                    }
                }
            }
            return all;
        }
    }

    private Run playbook(Path collections, Path inventory, String playbook, String... more) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), "--forks", "5"));
        argv.add(playbook.contains("/") || !playbook.endsWith(".yml") ? playbook
                : Path.of("src/test/resources/ansible", playbook).toString());
        argv.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
        pb.environment().put("ANSIBLE_STDOUT_CALLBACK", "json");
        pb.environment().put("ANSIBLE_HOST_KEY_CHECKING", "False");
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-local").toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("ansible-playbook ends").isTrue();
        return new Run(p.exitValue(), out);
    }

    /**
     * Every module's options are documented (ansible-doc, the way validate-modules compares them with the argument
     * spec), and ansible-lint's production profile passes (offline: nothing is fetched).
     */
    @Test
    void theCollectionIsDocumentedAndLintClean() throws Exception {
        Path collections = collection();
        Path root = dir.resolve("built/ansible_collections/macvlandoctor/macvlan");
        for (String module : List.of("verify", "shim", "facts", "junit_merge")) {
            ProcessBuilder doc = new ProcessBuilder("ansible-doc", "-j", "macvlandoctor.macvlan." + module);
            doc.environment().put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
            Process d = doc.start();
            String json = new String(d.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(d.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(d.exitValue()).as(module).isZero();
            @SuppressWarnings("unchecked")
            Map<String, Object> options = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    ((Map<String, Object>) io.macvlandoctor.json.Json.parse(json)).get("macvlandoctor.macvlan."
                    + module)).get("doc")).get("options");
            Cli.Result spec = Cli.exec("/usr/bin/python3", "-c", "import sys, json; sys.path.insert(0, sys.argv[1]); "
                    + "import importlib; m = importlib.import_module('ansible_collections.macvlandoctor.macvlan."
                    + "plugins.modules." + module + "'); print(json.dumps(sorted(m.ARGUMENT_SPEC)))",
                    collections.toString());
            assertThat(spec.exit()).as(spec.toString()).isZero();
            assertThat(new java.util.TreeSet<>(options.keySet())).as(module + ": documented options")
                    .containsExactlyElementsOf(((List<?>) io.macvlandoctor.json.Json.parse(spec.out())).stream()
                            .map(Object::toString).toList());
        }
        ProcessBuilder lint = new ProcessBuilder("ansible-lint", "--offline", "-p", "playbooks/fleet.yml",
                "roles/install", "galaxy.yml", "meta/runtime.yml").directory(root.toFile()).redirectErrorStream(true);
        lint.environment().put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
        lint.environment().put("NO_COLOR", "1");
        Process l = lint.start();
        String out = new String(l.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(l.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(l.exitValue()).as(out).isZero();
        assertThat(out).contains("Passed").contains("production");
    }
}
