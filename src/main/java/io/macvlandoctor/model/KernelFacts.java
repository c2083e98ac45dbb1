package io.macvlandoctor.model;

import java.util.List;
import java.util.Map;

/**
 * What the kernel says about the path, for the diagnosis and for `facts`: links, addresses, routes (the main table,
 * and those of other tables to the container), the policy rules, the kernel's route choices both ways, effective
 * sysctls, neighbours, firewall rules and, when a probe window was traced, the kernel's decisions in it. Read live,
 * or from a facts file written by `facts` on the host.
 *
 * @param hostLinks every link of the host namespace
 * @param shim the shim on the parent, or null
 * @param containerIface null when the container's interface (or namespace) is gone
 * @param containerIps the container's addresses that are judged, per family
 * @param hostRoutes the host's main table, both families, and the routes of other tables that cover a container
 *     address (Route.table says which)
 * @param hostToContainer `ip route get <container>` in the host namespace, per family (absent: unreachable)
 * @param containerToHost `ip route get <host>` in the container namespace, per family (absent: unreachable/unknown)
 * @param sysctls host namespace values by full name ("net.ipv4.conf.all.arp_ignore")
 * @param containerSysctls the container namespace's values by full name
 * @param parentNic what the parent is: driver, Wi-Fi, promiscuity, bond mode
 * @param containerGateways the container's default gateway per family (its LAN peer)
 * @param rules the host's policy rules, both families, in priority order
 * @param decisions the kernel's decisions recorded while the probes ran (or during `facts --record`)
 */
public record KernelFacts(Netns hostNs, Netns containerNs, List<Link> hostLinks, Link parent, Link shim,
                          Link containerIface, Map<Family, IpAddress> containerIps, List<Route> hostRoutes,
                          Map<Family, RouteLookup> hostToContainer, Map<Family, RouteLookup> containerToHost,
                          Map<String, Integer> sysctls, Map<String, Integer> containerSysctls,
                          List<Neighbour> neighbours, List<Ruleset> firewall, ParentNic parentNic,
                          Map<Family, IpAddress> containerGateways, List<PolicyRule> rules,
                          List<KernelEvent> decisions) {
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
        rules = List.copyOf(rules);
        decisions = List.copyOf(decisions);
        parentNic = parentNic == null ? ParentNic.UNKNOWN : parentNic;
        containerGateways = containerGateways == null ? Map.of() : Map.copyOf(containerGateways);
    }

    public boolean parentWireless() {
        return parentNic.wireless();
    }

    /** The same facts with the kernel's decisions of a probe window. */
    public KernelFacts withDecisions(List<KernelEvent> d) {
        return toBuilder().decisions(d).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Facts changed by intent, one field at a time (tests, and facts read in parts). */
    public static final class Builder {
        private Netns hostNs;
        private Netns containerNs;
        private List<Link> hostLinks;
        private Link parent;
        private Link shim;
        private Link containerIface;
        private Map<Family, IpAddress> containerIps;
        private List<Route> hostRoutes;
        private Map<Family, RouteLookup> hostToContainer;
        private Map<Family, RouteLookup> containerToHost;
        private Map<String, Integer> sysctls;
        private Map<String, Integer> containerSysctls;
        private List<Neighbour> neighbours;
        private List<Ruleset> firewall;
        private ParentNic parentNic;
        private Map<Family, IpAddress> containerGateways;
        private List<PolicyRule> rules;
        private List<KernelEvent> decisions;

        private Builder(KernelFacts k) {
            hostNs = k.hostNs;
            containerNs = k.containerNs;
            hostLinks = k.hostLinks;
            parent = k.parent;
            shim = k.shim;
            containerIface = k.containerIface;
            containerIps = k.containerIps;
            hostRoutes = k.hostRoutes;
            hostToContainer = k.hostToContainer;
            containerToHost = k.containerToHost;
            sysctls = k.sysctls;
            containerSysctls = k.containerSysctls;
            neighbours = k.neighbours;
            firewall = k.firewall;
            parentNic = k.parentNic;
            containerGateways = k.containerGateways;
            rules = k.rules;
            decisions = k.decisions;
        }

        public Builder hostLinks(List<Link> v) {
            hostLinks = v;
            return this;
        }

        public Builder parent(Link v) {
            parent = v;
            return this;
        }

        public Builder shim(Link v) {
            shim = v;
            return this;
        }

        public Builder containerIface(Link v) {
            containerIface = v;
            return this;
        }

        public Builder hostRoutes(List<Route> v) {
            hostRoutes = v;
            return this;
        }

        public Builder hostToContainer(Map<Family, RouteLookup> v) {
            hostToContainer = v;
            return this;
        }

        public Builder sysctls(Map<String, Integer> v) {
            sysctls = v;
            return this;
        }

        /** The sysctls with these set (added, or changed). */
        public Builder sysctl(Map<String, Integer> more) {
            Map<String, Integer> m = new java.util.HashMap<>(sysctls);
            m.putAll(more);
            sysctls = m;
            return this;
        }

        public Builder containerSysctls(Map<String, Integer> v) {
            containerSysctls = v;
            return this;
        }

        public Builder neighbours(List<Neighbour> v) {
            neighbours = v;
            return this;
        }

        public Builder firewall(List<Ruleset> v) {
            firewall = v;
            return this;
        }

        public Builder parentNic(ParentNic v) {
            parentNic = v;
            return this;
        }

        public Builder containerGateways(Map<Family, IpAddress> v) {
            containerGateways = v;
            return this;
        }

        public Builder rules(List<PolicyRule> v) {
            rules = v;
            return this;
        }

        public Builder decisions(List<KernelEvent> v) {
            decisions = v;
            return this;
        }

        public KernelFacts build() {
            return new KernelFacts(hostNs, containerNs, hostLinks, parent, shim, containerIface, containerIps,
                    hostRoutes, hostToContainer, containerToHost, sysctls, containerSysctls, neighbours, firewall,
                    parentNic, containerGateways, rules, decisions);
        }
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

    /** The routes of the main table. */
    public List<Route> mainRoutes() {
        return hostRoutes.stream().filter(Route::inMain).toList();
    }

    /**
     * The route the main table alone would choose for an address: the longest prefix that covers it (the default
     * route when none does), lowest metric first; null when there is none.
     */
    public Route mainChoice(IpAddress ip) {
        Route best = null;
        int bestLen = -1;
        for (Route r : mainRoutes()) {
            if (r.family() != ip.family() || r.dst() != null && !r.dst().contains(ip)) {
                continue;
            }
            int len = r.dst() == null ? 0 : r.dst().prefix();
            int metric = r.metric() == null ? 0 : r.metric();
            if (len > bestLen || len == bestLen && metric < (best.metric() == null ? 0 : best.metric())) {
                best = r;
                bestLen = len;
            }
        }
        return best;
    }

    public Link hostLink(String name) {
        return hostLinks.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }

    public Link hostLink(int index) {
        return hostLinks.stream().filter(l -> l.index() == index).findFirst().orElse(null);
    }
}
