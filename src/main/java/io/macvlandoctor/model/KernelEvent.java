package io.macvlandoctor.model;

import java.util.Locale;

/**
 * A decision the kernel recorded while the probes ran (a trace event of the run's own trace instance), matched to
 * the probes by time, addresses and devices: a route lookup, a neighbour entry's update, a packet dropped with its
 * reason. Evidence of its own kind, next to facts and frames.
 */
public sealed interface KernelEvent permits KernelEvent.Lookup, KernelEvent.Neigh, KernelEvent.Drop {
    /** Wall-clock time, nanoseconds since the epoch (the frames' clock). */
    long timeNs();

    /** The task the kernel ran it for ("java-4242", "<idle>-0", "ksoftirqd/1-20"). */
    String task();

    /** One line, as the report shows it after "kernel:". */
    String describe();

    /**
     * A route lookup (fib:fib_table_lookup, fib6:fib6_table_lookup).
     *
     * @param table the table the lookup was answered from (254 main, 255 local)
     * @param dev the device of the chosen next hop, "" when none
     * @param gateway the next hop's gateway, null when on-link
     * @param err 0, or the negative errno of a failed lookup (-101 network unreachable)
     */
    record Lookup(long timeNs, String task, Family family, int table, int oif, int iif, int proto, IpAddress src,
                  IpAddress dst, String dev, IpAddress gateway, int err) implements KernelEvent {
        public String tableName() {
            return table == 254 ? "main" : table == 255 ? "local" : table == 253 ? "default" : Integer.toString(table);
        }

        @Override
        public String describe() {
            return "route lookup " + src + " -> " + dst + " in table " + tableName() + (err != 0 ? ": error " + err
                    + (err == -101 ? " (network unreachable)" : err == -113 ? " (no route to host)" : "")
                    : " ==> dev " + dev + (gateway == null ? "" : " via " + gateway));
        }
    }

    /**
     * A neighbour entry updated (neigh:neigh_update): its link-layer address and state before and after.
     *
     * @param state and newState: incomplete, reachable, stale, delay, probe, failed, noarp, permanent
     */
    record Neigh(long timeNs, String task, Family family, String dev, IpAddress ip, String lladdr, String state,
                 String newLladdr, String newState) implements KernelEvent {
        public boolean isStatic() {
            return "permanent".equals(state) || "noarp".equals(state);
        }

        @Override
        public String describe() {
            return "neighbour " + ip + " dev " + dev + (lladdr == null || lladdr.isEmpty() ? "" : " lladdr " + lladdr)
                    + " " + state + (newState == null || newState.equals(state) && equalsMac(lladdr, newLladdr) ? ""
                    : " -> " + (newLladdr == null || newLladdr.isEmpty() ? "" : newLladdr + " ") + newState);
        }

        private static boolean equalsMac(String a, String b) {
            return a == null ? b == null || b.isEmpty() : a.equalsIgnoreCase(b == null ? "" : b);
        }
    }

    /**
     * A packet dropped (skb:kfree_skb), with the kernel's reason and where.
     *
     * @param protocol the EtherType: 0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6
     * @param location the function that dropped it ("nft_do_chain", "ip_rcv_core")
     * @param reason the drop reason ("NETFILTER_DROP", "OTHERHOST", "IP_RPFILTER", ...)
     */
    record Drop(long timeNs, String task, int protocol, String location, String reason) implements KernelEvent {
        /** The family of the dropped packet: ARP goes with IPv4. */
        public Family family() {
            return protocol == 0x86dd ? Family.V6 : Family.V4;
        }

        public String protocolName() {
            return switch (protocol) {
                case 0x0800 -> "IPv4";
                case 0x0806 -> "ARP";
                case 0x86dd -> "IPv6";
                default -> String.format(Locale.ROOT, "0x%04x", protocol);
            };
        }

        @Override
        public String describe() {
            return "dropped an " + protocolName() + " packet at " + location + ", reason " + reason;
        }
    }
}
