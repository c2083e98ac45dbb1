package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A topology built by hand with iproute2, unlike the lab in every name and address, with per-interface sysctls:
 * host namespace with parent uplink0 10.20.0.1/16 (veth to a peer namespace, far0), container namespace with app0
 * 10.20.5.7/16 (bridge macvlan of uplink0), shim mv-shim and the route through it. More containers, and a second
 * parent, on request. Every namespace is removed on close.
 */
final class HandBuilt implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final String HOST_IP = "10.20.0.1";
    static final String CTR_IP = "10.20.5.7";
    static final String HOST_IP6 = "2001:db8:77::1";
    static final String CTR_IP6 = "2001:db8:77::5:7";

    /**
     * The names and addresses of a topology: the default's (uplink0, mv-shim, app0 in 10.20.0.0/16), or another
     * set that shares nothing with it.
     */
    record Names(String parent, String shim, String iface, String hostIp, String ctrIp, int prefix, String hostIp6,
                 String ctrIp6) {
        static final Names DEFAULT = new Names("uplink0", "mv-shim", "app0", HOST_IP, CTR_IP, 16, HOST_IP6, CTR_IP6);
        /** Another parent and shim name (a dot in it: sysctl names take it as a path), a /24, a ULA prefix. */
        static final Names OTHER = new Names("wan0", "mvl.shim", "eth1", "172.31.200.1", "172.31.200.77", 24,
                "fd42:4:2::1", "fd42:4:2::77");
    }

    final String host;
    final String ctr;
    final String peer;
    final Names n;
    private final String prefix;
    private final List<String> extra = new ArrayList<>();

    private HandBuilt(String prefix, Names n) {
        this.prefix = prefix;
        this.n = n;
        host = prefix + "-h";
        ctr = prefix + "-c";
        peer = prefix + "-p";
    }

    /** IPv4 only, with the shim and its route. */
    static HandBuilt create() {
        return create(true, false, true);
    }

    /**
     * @param v4 give the host and the container IPv4 addresses
     * @param v6 give them IPv6 addresses too (2001:db8:77::/64, without duplicate address detection)
     * @param shim add the shim with the IPv4 route through it (the seed's recipe; nothing for IPv6)
     */
    static HandBuilt create(boolean v4, boolean v6, boolean shim) {
        return create(Names.DEFAULT, v4, v6, shim);
    }

    static HandBuilt create(Names n, boolean v4, boolean v6, boolean shim) {
        HandBuilt t = new HandBuilt("mvd-hb" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet(), n);
        try {
            t.ip("netns", "add", t.host);
            t.ip("netns", "add", t.peer);
            for (String ns : List.of(t.host, t.peer)) {
                t.quiet(ns);
            }
            t.ip("-n", t.peer, "link", "add", "far0", "type", "veth", "peer", "name", n.parent(), "netns", t.host);
            t.ip("-n", t.peer, "link", "set", "far0", "up");
            if (v4) {
                t.ip("-n", t.host, "addr", "add", n.hostIp() + "/" + n.prefix(), "dev", n.parent());
            }
            if (v6) {
                t.ip("-n", t.host, "addr", "add", n.hostIp6() + "/64", "dev", n.parent(), "nodad");
            }
            t.ip("-n", t.host, "link", "set", n.parent(), "up");
            t.container(t.ctr, n.parent(), v4 ? n.ctrIp() : null, v6 ? n.ctrIp6() : null);
            if (shim) {
                t.ip("-n", t.host, "link", "add", "link", n.parent(), "name", n.shim(), "type", "macvlan", "mode",
                        "bridge");
                t.ip("-n", t.host, "link", "set", n.shim(), "up");
                if (v4) {
                    t.ip("-n", t.host, "route", "add", n.ctrIp(), "dev", n.shim());
                }
            }
            return t;
        } catch (RuntimeException | AssertionError e) {
            t.close();
            throw e;
        }
    }

    /** Clears the sysctls a distribution might preset, so that each test sets exactly what it means. */
    private void quiet(String ns) {
        for (String k : List.of("rp_filter", "arp_ignore", "arp_filter")) {
            sysctl(ns, "all", k, 0);
            sysctl(ns, "default", k, 0);
        }
    }

    /** A container namespace NS with its interface (ADDR, ADDR6/64 where given), a bridge macvlan of PARENT. */
    private void container(String ns, String parent, String addr, String addr6) {
        ip("netns", "add", ns);
        quiet(ns);
        String tmp = "tmp" + SEQ.incrementAndGet();
        ip("-n", host, "link", "add", "link", parent, "name", tmp, "netns", ns, "type", "macvlan", "mode", "bridge");
        ip("-n", ns, "link", "set", tmp, "name", n.iface());
        if (addr != null) {
            ip("-n", ns, "addr", "add", addr + "/" + n.prefix(), "dev", n.iface());
        }
        if (addr6 != null) {
            ip("-n", ns, "addr", "add", addr6 + "/64", "dev", n.iface(), "nodad");
        }
        ip("-n", ns, "link", "set", n.iface(), "up");
    }

    /** Another container on uplink0 with ADDR; returns its namespace. */
    String addContainer(String addr) {
        String ns = prefix + "-c" + (extra.size() + 2);
        extra.add(ns);
        container(ns, n.parent(), addr, null);
        return ns;
    }

    /**
     * The peer namespace becomes the LAN: far0 holds GATEWAY (and each of MORE), and every container so far gets a
     * default route through GATEWAY (IPv6 when it holds a colon).
     */
    void lan(String gateway, String... more) {
        List<String> all = new ArrayList<>(List.of(gateway));
        all.addAll(List.of(more));
        for (String a : all) {
            boolean six = a.contains(":");
            if (six) {
                ip("-n", peer, "addr", "add", a + "/64", "dev", "far0", "nodad");
            } else {
                ip("-n", peer, "addr", "add", a + "/" + n.prefix(), "dev", "far0");
            }
        }
        List<String> ctrs = new ArrayList<>(List.of(ctr));
        ctrs.addAll(extra);
        for (String c : ctrs) {
            ip("-n", c, gateway.contains(":") ? "-6" : "-4", "route", "add", "default", "via", gateway);
        }
    }

    /** A second parent, uplink1 (veth to far1 in the peer namespace), up and without an address. */
    void addSecondParent() {
        addSecondParent("uplink1");
    }

    /** A second parent of this name (veth to far1 in the peer namespace), up and without an address. */
    void addSecondParent(String name) {
        ip("-n", peer, "link", "add", "far1", "type", "veth", "peer", "name", name, "netns", host);
        ip("-n", peer, "link", "set", "far1", "up");
        ip("-n", host, "link", "set", name, "up");
    }

    void ip(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "ip";
        System.arraycopy(args, 0, argv, 1, args.length);
        Cli.Result r = Cli.exec(argv);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    /** A program in a namespace that must succeed. */
    Cli.Result in(String ns, String... argv) {
        Cli.Result r = Cli.inNs(ns, argv);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /**
     * ping (-6 for an IPv6 address) from a namespace, neighbours flushed first: true when a reply came. IPv6 waits
     * for duplicate address detection on the host's links to end first (a tentative link-local address cannot
     * send a solicitation, and that second is not what is measured).
     */
    boolean ping(String from, String to) {
        if (to.contains(":")) {
            awaitAddresses();
        }
        Cli.exec("ip", "-n", from, "neigh", "flush", "all");
        Cli.exec("ip", "-n", from, "-6", "neigh", "flush", "all");
        List<String> argv = new ArrayList<>(List.of("ping", "-n", "-c", "1", "-W", "2"));
        if (to.contains(":")) {
            argv.add("-6");
        }
        argv.add(to);
        return Cli.inNs(from, argv.toArray(String[]::new)).ok();
    }

    void awaitAddresses() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Cli.exec("ip", "-n", host, "-6", "addr", "show", "tentative").out().isBlank()) {
            assertThat(System.nanoTime()).as("duplicate address detection in " + host).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * What setup and teardown may touch in the host namespace, for before/after comparisons: links, addresses
     * (without their lifetimes), routes of both families, proxy entries, and the IPv4 and IPv6 sysctls of every
     * interface.
     */
    String hostState() {
        return Cli.exec("ip", "-n", host, "-d", "link", "show").out()
                + Cli.exec("ip", "-n", host, "-br", "addr", "show").out()
                + Cli.exec("ip", "-n", host, "route", "show").out()
                + Cli.exec("ip", "-n", host, "-6", "route", "show").out()
                + Cli.exec("ip", "-n", host, "-6", "neigh", "show", "proxy").out()
                + Cli.inNs(host, "sh", "-c", "sysctl -a 2>/dev/null | grep -E '^net\\.ipv(4|6)\\.(conf|neigh)\\.' "
                        + "| grep -v '\\.stable_secret' | sort").out();
    }

    /** A link's MAC, as the kernel of its namespace has it. */
    String mac(String ns, String dev) {
        return Json.macOf(ns, dev);
    }

    void sysctl(String ns, String dev, String key, int value) {
        in(ns, "sysctl", "-q", "-w", "net.ipv4.conf." + dev + "." + key + "=" + value);
    }

    int sysctl(String ns, String name) {
        return Integer.parseInt(in(ns, "sysctl", "-n", name).out().strip());
    }

    /** COMMAND with the target options for this topology's first container, then MORE. */
    String[] target(String command, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--host-netns", host, "--container-netns", ctr));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Override
    public void close() {
        List<String> all = new ArrayList<>(extra);
        all.addAll(List.of(ctr, host, peer));
        for (String ns : all) {
            forgetState(ns);
            Cli.exec("ip", "netns", "del", ns);
        }
    }

    /**
     * The tool's state directory of a namespace about to go, as lab down removes a lab's: a journal a failed test
     * left there would otherwise be found by the next namespace given the same inode number.
     */
    private static void forgetState(String ns) {
        try {
            Object ino = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/run/netns", ns), "unix:ino");
            java.nio.file.Path dir = java.nio.file.Path.of("/run/macvlan-doctor", "netns-" + ino);
            for (String f : List.of("journal.json", "lock")) {
                java.nio.file.Files.deleteIfExists(dir.resolve(f));
            }
            java.nio.file.Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            // Gone already, or something else in it: left as it is.
        }
    }
}
