package io.macvlandoctor.model;

import java.util.List;
import java.util.Map;

/**
 * What the kernel says about the path, for the diagnosis and for `facts`: links, addresses, routes, the kernel's
 * route choices both ways, effective sysctls, neighbours, firewall rules. Read live, or from a facts file written by
 * `facts` on the host.
 *
 * @param hostLinks every link of the host namespace
 * @param shim the shim on the parent, or null
 * @param containerIface null when the container's interface (or namespace) is gone
 * @param containerIps the container's addresses that are judged, per family
 * @param hostRoutes the host's main routing table, both families
 * @param hostToContainer `ip route get <container>` in the host namespace, per family (absent: unreachable)
 * @param containerToHost `ip route get <host>` in the container namespace, per family (absent: unreachable/unknown)
 * @param sysctls host namespace values by full name ("net.ipv4.conf.all.arp_ignore")
 * @param containerSysctls the container namespace's values by full name
 */
public record KernelFacts(Netns hostNs, Netns containerNs, List<Link> hostLinks, Link parent, Link shim,
                          Link containerIface, Map<Family, IpAddress> containerIps, List<Route> hostRoutes,
                          Map<Family, RouteLookup> hostToContainer, Map<Family, RouteLookup> containerToHost,
                          Map<String, Integer> sysctls, Map<String, Integer> containerSysctls,
                          List<Neighbour> neighbours, List<Ruleset> firewall, boolean parentWireless) {
    public KernelFacts {
        hostLinks = List.copyOf(hostLinks);
        containerIps = Map.copyOf(containerIps);
        hostRoutes = List.copyOf(hostRoutes);
        hostToContainer = Map.copyOf(hostToContainer);
        containerToHost = Map.copyOf(containerToHost);
        sysctls = Map.copyOf(sysctls);
        containerSysctls = Map.copyOf(containerSysctls);
        neighbours = List.copyOf(neighbours);
        firewall = List.copyOf(firewall);
    }

    public IpAddress containerIp(Family f) {
        return containerIps.get(f);
    }

    /** The host address the container talks to: the parent's first address of the family. */
    public IpAddress hostIp(Family f) {
        Cidr c = parent.firstAddress(f);
        if (c != null) {
            return c.address();
        }
        RouteLookup r = hostToContainer.get(f);
        return r == null || r.prefsrc() == null ? null : IpAddress.tryParse(r.prefsrc());
    }

    public List<Family> families() {
        return Family.presentIn(containerIps);
    }

    /** A raw value of the host namespace, 0 when absent. */
    public int sysctl(String name) {
        return sysctls.getOrDefault(name, 0);
    }

    /** net.ipv4.conf.DEV.NAME of the host namespace, 0 when absent. */
    public int conf4(String dev, String name) {
        return sysctl(Sysctl.conf4(dev, name));
    }

    /** arp_ignore and rp_filter: the kernel uses the larger of "all" and the interface's own value. */
    public int effectiveMax(String dev, String name) {
        return Math.max(conf4("all", name), conf4(dev, name));
    }

    /** arp_filter: on when either "all" or the interface has it on. */
    public boolean effectiveOr(String dev, String name) {
        return conf4("all", name) != 0 || conf4(dev, name) != 0;
    }

    /** The setting that makes a max-rule value effective: "net.ipv4.conf.all.arp_ignore=1". */
    public String source(String dev, String name) {
        int all = conf4("all", name);
        int own = conf4(dev, name);
        return own >= all ? Sysctl.conf4(dev, name) + "=" + own : Sysctl.conf4("all", name) + "=" + all;
    }

    public Link hostLink(String name) {
        return hostLinks.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }

    public Link hostLink(int index) {
        return hostLinks.stream().filter(l -> l.index() == index).findFirst().orElse(null);
    }
}
