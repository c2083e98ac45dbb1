package io.macvlandoctor.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.change.Legacy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journals written by macvlan-doctor 0.2.0 (recorded from its `setup --persist unit` of a dual-stack target and
 * its `diagnose --apply` of a private-mode shim with firewall rules on both sides, under
 * src/test/resources/journal-0.2.0): teardown after the upgrade undoes them with exactly the commands 0.2.0's own
 * teardown ran (its output, recorded the same day, is the expected list here).
 */
class JournalUpgradeTest {
    @TempDir
    Path root;

    /** A host that does what it is told and records it as the commands 0.2.0 printed them. */
    static final class Recording implements Journal.Effects {
        final List<String> done = new ArrayList<>();
        final Map<String, String> files = new HashMap<>();
        final Map<String, String> links = new HashMap<>();
        final List<Link> kernelLinks = new ArrayList<>();
        final String identity;

        Recording(String identity) {
            this.identity = identity;
        }

        @Override
        public Result ip(Netns ns, List<String> args) {
            done.add(ns.ip(String.join(" ", args)));
            return new Result(true, "", "");
        }

        @Override
        public Result exec(Netns ns, List<String> argv) {
            done.add(ns.exec(String.join(" ", argv)));
            return new Result(true, "", "");
        }

        @Override
        public void writeSysctl(Netns ns, String name, int value) {
            done.add("sysctl " + name + "=" + value);
        }

        @Override
        public Integer readSysctl(Netns ns, String name) {
            return null;
        }

        @Override
        public List<Link> links(Netns ns) {
            return kernelLinks;
        }

        @Override
        public List<Route> routes(Netns ns) {
            return List.of();
        }

        @Override
        public List<Neighbour> neighbours(Netns ns, IpAddress ip) {
            return List.of();
        }

        @Override
        public List<Neighbour> proxies(Netns ns) {
            return List.of();
        }

        @Override
        public List<PolicyRule> rules(Netns ns) {
            return List.of();
        }

        @Override
        public void flushNeighbours(Netns ns, List<IpAddress> ips) {
        }

        @Override
        public String readFile(String path) {
            return files.get(path);
        }

        @Override
        public void writeFile(String path, String text, int mode) {
            done.add("write " + path);
        }

        @Override
        public int mode(String path) {
            return 0644;
        }

        @Override
        public boolean delete(String path) {
            done.add("rm " + path);
            return true;
        }

        @Override
        public void mkdir(String path) {
            done.add("mkdir " + path);
        }

        @Override
        public boolean rmdirIfEmpty(String path) {
            done.add("rmdir " + path);
            return true;
        }

        @Override
        public void symlink(String path, String target) {
            done.add("ln -s " + target + " " + path);
        }

        @Override
        public String readLink(String path) {
            return links.get(path);
        }

        @Override
        public boolean exists(String path) {
            return files.containsKey(path) || links.containsKey(path);
        }

        @Override
        public void mountTracefs(String dir) {
        }

        @Override
        public boolean unmount(String dir) {
            return false;
        }

        @Override
        public boolean tracefsMountedAt(String dir) {
            return false;
        }

        @Override
        public String identity(Netns ns) {
            return identity;
        }

        @Override
        public Netns find(Netns likely, String id) {
            return likely;
        }
    }

    /** The fixture in a journal directory of its own, and a host whose files and links are as 0.2.0 left them. */
    @SuppressWarnings("unchecked")
    Recording install(String name) throws Exception {
        String text = Files.readString(Path.of("src/test/resources/journal-0.2.0", name));
        Path dir = root.resolve("netns-1");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("journal.json"), text);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(text);
        List<Object> entries = (List<Object>) doc.get("entries");
        Recording fx = new Recording((String) ((Map<String, Object>) entries.get(0)).get("netnsId"));
        for (Object o : entries) {
            Map<String, Object> e = (Map<String, Object>) o;
            List<String> apply = (List<String>) e.get("apply");
            if ("FILE".equals(e.get("kind"))) {
                fx.files.put(apply.get(0), apply.get(1));
            } else if ("SYMLINK".equals(e.get("kind"))) {
                fx.links.put(apply.get(0), apply.get(1));
            } else if (e.get("createsLink") != null) {
                fx.kernelLinks.add(new Link(((Number) e.get("linkIndex")).intValue(), (String) e.get("createsLink"),
                        (String) e.get("linkMac"), true, "UP", "macvlan", "bridge", 2, -1, List.of()));
            }
        }
        return fx;
    }

    @Test
    void aSetupWithPersistenceIsUndoneAs020UndidIt() throws Exception {
        Recording fx = install("setup-dual-persist.json");
        String w = "/tmp/oldj/root/etc/systemd/system";
        try (Journal j = Journal.open(root, 1, fx)) {
            assertThat(j.pendingFromOtherRuns()).hasSize(14);
            List<String> report = j.undoAll();
            assertThat(report).hasSize(14).allMatch(l -> l.startsWith("undone: "));
        }
        assertThat(fx.done).containsExactly(
                "rm " + w + "/multi-user.target.wants/macvlan-doctor-macvlan0-host.service",
                "rmdir " + w + "/multi-user.target.wants",
                "rm " + w + "/macvlan-doctor-macvlan0-host.service",
                "rmdir " + w, "rmdir /tmp/oldj/root/etc/systemd", "rmdir /tmp/oldj/root/etc",
                "ip -n mvd-oj-h -6 route del 2001:db8:9::3:3 dev macvlan0-host metric 1024",
                "ip -n mvd-oj-h -6 neigh del proxy 2001:db8:9::1 dev macvlan0-host",
                "sysctl net.ipv6.neigh.macvlan0-host.proxy_delay=0",
                "sysctl net.ipv6.conf.macvlan0-host.forwarding=0",
                "sysctl net.ipv6.conf.macvlan0-host.proxy_ndp=0",
                "ip -n mvd-oj-h route del 10.9.3.3 dev macvlan0-host",
                "ip -n mvd-oj-h link set macvlan0-host down",
                "ip -n mvd-oj-h link del macvlan0-host");
        assertThat(root.resolve("netns-1/journal.json")).as("nothing left to undo").doesNotExist();
    }

    @Test
    void anAppliedFixWithFirewallRulesAndARecreatedShimIsUndoneAs020UndidIt() throws Exception {
        Recording fx = install("apply-mode-firewall.json");
        try (Journal j = Journal.open(root, 1, fx)) {
            assertThat(j.pendingFromOtherRuns()).allMatch(e -> e.change() instanceof Legacy);
            assertThat(j.undoAll()).hasSize(8).allMatch(l -> l.startsWith("undone: "));
        }
        assertThat(fx.done).containsExactly(
                "ip netns exec mvd-oj-c nft delete rule inet f input handle 3",
                "ip netns exec mvd-oj-h iptables -t filter -D INPUT -i mvs -s 10.9.3.3 -j ACCEPT",
                "ip -n mvd-oj-h route del 10.9.3.3 dev mvs",
                "ip -n mvd-oj-h link set mvs down",
                "ip -n mvd-oj-h link del mvs",
                "ip -n mvd-oj-h link add link up0 name mvs type macvlan mode private",
                "ip -n mvd-oj-h link set mvs up",
                "ip -n mvd-oj-h route add 10.9.3.3 dev mvs");
    }

    /** What the journal writes now reads back as the same values (the format of version 2). */
    @Test
    void aJournalOfTodayReadsBackAsTheChangesItHolds() throws Exception {
        Recording fx = install("setup-dual-persist.json");
        List<Journal.Entry> before;
        try (Journal j = Journal.open(root, 1, fx)) {
            before = j.entries();
            // Rewrite it in today's format: undo one entry, which saves the rest.
            j.undo(e -> e.change().summary().startsWith("link "));
        }
        String now = Files.readString(root.resolve("netns-1/journal.json"));
        assertThat(now).contains("\"journalVersion\": 2").contains("\"type\": \"sysctl-set\"");
        List<Journal.Entry> after = Journal.load(root.resolve("netns-1/journal.json"));
        assertThat(after).extracting(Journal.Entry::change)
                .containsExactlyElementsOf(before.stream().map(Journal.Entry::change).toList());
    }
}
