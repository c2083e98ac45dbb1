package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lab built by the real tool under a name unique to the test run, removed on close even when the test failed.
 * Also offers the iputils probes of docs/kernel-behaviour.md (arping, ping), which are independent of our own code.
 */
public final class TestLab implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    public static final String HOST_IP = "192.168.136.130";
    public static final String CTR_IP = "192.168.136.240";

    public final String name;

    private TestLab(String name) {
        this.name = name;
    }

    /** lab up --name t<pid><n> ARGS; fails the test if the tool does. */
    public static TestLab up(String... args) {
        String name = "t" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
        List<String> a = new ArrayList<>(List.of("lab", "up", "--name", name));
        a.addAll(List.of(args));
        TestLab lab = new TestLab(name);
        Cli.Result r = Cli.tool(a.toArray(String[]::new));
        if (!r.ok()) {
            lab.close();
            throw new AssertionError(r.toString());
        }
        return lab;
    }

    public String hostNs() {
        return "mvd-" + name + "-host";
    }

    public String ctrNs() {
        return "mvd-" + name + "-ctr";
    }

    public String lanNs() {
        return "mvd-" + name + "-lan";
    }

    /** arping from the container to the host's address: true when a reply came. */
    public boolean containerArpingsHost() {
        return Cli.inNs(ctrNs(), "arping", "-c", "1", "-w", "1", "-I", "eth0", HOST_IP).ok();
    }

    public boolean hostPingsContainer() {
        return Cli.inNs(hostNs(), "ping", "-n", "-c", "1", "-W", "1", CTR_IP).ok();
    }

    /** With both neighbour tables flushed first, so the container has to resolve the host again. */
    public boolean containerPingsHostAfterFlush() {
        flushNeighbours();
        return Cli.inNs(ctrNs(), "ping", "-n", "-c", "1", "-W", "1", HOST_IP).ok();
    }

    public void flushNeighbours() {
        Cli.exec("ip", "-n", hostNs(), "neigh", "flush", "all");
        Cli.exec("ip", "-n", ctrNs(), "neigh", "flush", "all");
    }

    /** `ip -j -d addr show` in one of the lab's namespaces. */
    public String links(String ns) {
        Cli.Result r = Cli.exec("ip", "-n", ns, "-j", "-d", "addr", "show");
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out();
    }

    /**
     * The host namespace's links, IPv4 addresses and routes, for before/after comparisons (IPv6 is left out: its
     * duplicate address detection changes flags on its own).
     */
    public String hostState() {
        return Cli.exec("ip", "-n", hostNs(), "-d", "link", "show").out()
                + Cli.exec("ip", "-n", hostNs(), "-4", "addr", "show").out() + routes();
    }

    /** Every net.ipv4.conf.*.KEY of the host namespace, for before/after comparisons. */
    public String sysctls(String key) {
        return Cli.inNs(hostNs(), "sh", "-c", "sysctl -a 2>/dev/null | grep 'conf\\..*\\." + key + " ' | sort").out();
    }

    public String routes() {
        return Cli.exec("ip", "-n", hostNs(), "route", "show").out();
    }

    /**
     * `lab verify` names its throwaway namespaces mvd-verify-PID-*: the prefix it printed must be gone from the
     * machine (other tests running in parallel may have their own).
     */
    public static void assertThrowawayLabGone(Cli.Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(mvd-verify-[0-9]+-)").matcher(r.out());
        assertThat(m.find()).as("lab verify names its namespaces: " + r).isTrue();
        assertThat(Cli.exec("ip", "netns", "list").out()).doesNotContain(m.group(1));
    }

    @Override
    public void close() {
        Cli.Result r = Cli.tool("lab", "down", "--name", name);
        if (!r.ok()) {
            // Last resort so that a broken tool cannot leave namespaces behind.
            for (String ns : List.of(ctrNs(), hostNs(), lanNs())) {
                Cli.exec("ip", "netns", "del", ns);
            }
            throw new AssertionError("lab down failed: " + r);
        }
    }
}
