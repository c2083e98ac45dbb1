package io.macvlandoctor.model;

import java.util.List;
import java.util.Map;

/**
 * What the kernel says about the path, for the diagnosis rules.
 *
 * @param shim the shim on the parent, or null
 * @param containerIface null when the container's interface (or namespace) is gone
 * @param hostRoutes the host's main routing table
 * @param hostToContainer `ip route get <container>` in the host namespace (null: unreachable)
 * @param containerToHost `ip route get <host>` in the container namespace (null: unreachable or unknown)
 * @param sysctls raw values, keyed "all.arp_ignore", "macvlan0-host.rp_filter", ...
 * @param neighbours `ip neigh` lines for the two addresses, as the kernel printed them
 */
public record HostFacts(Netns hostNs, Netns containerNs, Link parent, Link shim, Link containerIface,
                        int containerIp, int hostIp, List<Route> hostRoutes, RouteLookup hostToContainer,
                        RouteLookup containerToHost, Map<String, Integer> sysctls, List<String> neighbours,
                        boolean parentWireless) {
    public HostFacts {
        hostRoutes = List.copyOf(hostRoutes);
        sysctls = Map.copyOf(sysctls);
        neighbours = List.copyOf(neighbours);
    }

    public int sysctl(String dev, String name) {
        return sysctls.getOrDefault(dev + "." + name, 0);
    }

    /** arp_ignore and rp_filter: the kernel uses the larger of "all" and the interface's own value. */
    public int effectiveMax(String dev, String name) {
        return Math.max(sysctl("all", name), sysctl(dev, name));
    }

    /** arp_filter: on when either "all" or the interface has it on. */
    public boolean effectiveOr(String dev, String name) {
        return sysctl("all", name) != 0 || sysctl(dev, name) != 0;
    }

    /** Where a value comes from: "net.ipv4.conf.all.arp_ignore=1" (the one that makes it effective). */
    public String source(String dev, String name) {
        int all = sysctl("all", name);
        int own = sysctl(dev, name);
        return own >= all ? "net.ipv4.conf." + dev + "." + name + "=" + own
                : "net.ipv4.conf.all." + name + "=" + all;
    }
}
