package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * A topology built by hand with iproute2, unlike the lab in every name and address, with per-interface sysctls:
 * host namespace with parent uplink0 10.20.0.1/16 (veth to a peer namespace), container namespace with app0
 * 10.20.5.7/16 (bridge macvlan of uplink0), shim mv-shim and the route through it.
 */
final class HandBuilt implements AutoCloseable {
    final String host;
    final String ctr;
    final String peer;

    private HandBuilt(String prefix) {
        host = prefix + "-h";
        ctr = prefix + "-c";
        peer = prefix + "-p";
    }

    static HandBuilt create() {
        HandBuilt t = new HandBuilt("mvd-hb" + ProcessHandle.current().pid());
        try {
            t.ip("netns", "add", t.host);
            t.ip("netns", "add", t.ctr);
            t.ip("netns", "add", t.peer);
            for (String ns : List.of(t.host, t.ctr, t.peer)) {
                for (String k : List.of("rp_filter", "arp_ignore", "arp_filter")) {
                    t.sysctl(ns, "all", k, 0);
                    t.sysctl(ns, "default", k, 0);
                }
            }
            t.ip("-n", t.peer, "link", "add", "far0", "type", "veth", "peer", "name", "uplink0", "netns", t.host);
            t.ip("-n", t.peer, "link", "set", "far0", "up");
            t.ip("-n", t.host, "addr", "add", "10.20.0.1/16", "dev", "uplink0");
            t.ip("-n", t.host, "link", "set", "uplink0", "up");
            t.ip("-n", t.host, "link", "add", "link", "uplink0", "name", "tmpmv", "netns", t.ctr, "type", "macvlan",
                    "mode", "bridge");
            t.ip("-n", t.ctr, "link", "set", "tmpmv", "name", "app0");
            t.ip("-n", t.ctr, "addr", "add", "10.20.5.7/16", "dev", "app0");
            t.ip("-n", t.ctr, "link", "set", "app0", "up");
            t.ip("-n", t.host, "link", "add", "link", "uplink0", "name", "mv-shim", "type", "macvlan", "mode", "bridge");
            t.ip("-n", t.host, "link", "set", "mv-shim", "up");
            t.ip("-n", t.host, "route", "add", "10.20.5.7", "dev", "mv-shim");
            return t;
        } catch (RuntimeException | AssertionError e) {
            t.close();
            throw e;
        }
    }

    void ip(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "ip";
        System.arraycopy(args, 0, argv, 1, args.length);
        Cli.Result r = Cli.exec(argv);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    void sysctl(String ns, String dev, String key, int value) {
        Cli.Result r = Cli.inNs(ns, "sysctl", "-q", "-w", "net.ipv4.conf." + dev + "." + key + "=" + value);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Override
    public void close() {
        for (String ns : List.of(ctr, host, peer)) {
            Cli.exec("ip", "netns", "del", ns);
        }
    }
}
