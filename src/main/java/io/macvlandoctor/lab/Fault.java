package io.macvlandoctor.lab;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Cause;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One named way to break the fixed topology, each reproducing a row of docs/kernel-behaviour.md or a situation of a real host. A
 * fault is named after the cause diagnose finds for it.
 *
 * @param value the fault's variant (shim-mode=vepa, ndp-proxy=forwarding), or null for its default
 */
public record Fault(Kind kind, String value) {
    public enum Kind {
        SHIM_DOWN(Cause.SHIM_DOWN, "the shim is down", List.of()),
        SHIM_MODE(Cause.SHIM_MODE, "the shim is not in bridge mode (private, or shim-mode=vepa)", List.of("private", "vepa")),
        SHIM_PARENT(Cause.SHIM_PARENT, "the shim and its route are on another parent (a second veth, ens34), not on the "
                + "container's", List.of()),
        NO_ROUTE(Cause.NO_ROUTE, "no route to the container through the shim", List.of()),
        ROUTE_MISMATCH(Cause.ROUTE_MISMATCH, "the route through the shim names a mistyped address (.140 for .240)",
                List.of()),
        ARP_IGNORE(Cause.ARP_IGNORE, "net.ipv4.conf.all.arp_ignore=1 on the host", List.of()),
        ARP_FILTER(Cause.ARP_FILTER, "net.ipv4.conf.all.arp_filter=1 on the host", List.of()),
        RP_FILTER(Cause.RP_FILTER, "net.ipv4.conf.all.rp_filter=1 on the host", List.of()),
        HOST_FIREWALL(Cause.HOST_FIREWALL, "an iptables rule in the host's INPUT chain drops the container's echo "
                + "requests", List.of()),
        IP_CONFLICT(Cause.IP_CONFLICT, "the LAN peer also holds the container's address (as a DHCP pool overlapping "
                + "Docker's ip-range does)", List.of()),
        NDP_PROXY(Cause.NDP_PROXY, "IPv6: the seed's recipe only (the /128 route, no proxy NDP); ndp-proxy=forwarding, "
                + "=proxy_ndp or =entry leaves out that one piece", List.of("all", "forwarding", "proxy_ndp", "entry")),
        PARENT_DOWN(Cause.PARENT_DOWN, "the parent interface is down", List.of()),
        LAN_MAC_FILTERED(Cause.LAN_MAC_FILTERED, "the LAN side accepts frames from the host's own MAC only, as a "
                + "virtual switch without promiscuous mode or forged transmits does (nft netdev on the LAN peer)",
                List.of());

        private final String id;
        private final String description;
        private final List<String> values;

        Kind(Cause cause, String description, List<String> values) {
            this.id = cause.code();
            this.description = description;
            this.values = values;
        }

        public String id() {
            return id;
        }

        public String description() {
            return description;
        }
    }

    /** A fault by its id, with its variant after "=" (shim-mode=vepa). */
    public static Fault parse(String text) {
        String id = text;
        String arg = null;
        int eq = text.indexOf('=');
        if (eq >= 0) {
            id = text.substring(0, eq);
            arg = text.substring(eq + 1);
        }
        for (Kind k : Kind.values()) {
            if (k.id.equals(id)) {
                if (k.values.isEmpty()) {
                    if (arg != null) {
                        throw new UsageException("fault " + id + " takes no value");
                    }
                    return new Fault(k, null);
                }
                String v = arg == null ? k.values.get(0) : arg;
                if (!k.values.contains(v)) {
                    throw new UsageException("unknown value '" + v + "' for fault " + id + " (" + String.join(", ",
                            k.values) + ")");
                }
                return new Fault(k, v);
            }
        }
        throw new UsageException("unknown fault '" + text + "'; known: " + ids());
    }

    public static String ids() {
        return Arrays.stream(Kind.values()).map(Kind::id).collect(Collectors.joining(", "));
    }

    /** The shim's mode this fault asks for, or null. */
    public String shimMode() {
        return kind == Kind.SHIM_MODE ? value : null;
    }

    @Override
    public String toString() {
        return value != null && !value.equals(kind.values.get(0)) ? kind.id + "=" + value : kind.id;
    }
}
