package io.macvlandoctor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the checks compare frames with: the three interfaces of the path and, per address family, the addresses
 * and the kernel's own routing choice. It comes from the kernel (live), from recorded or given facts (offline),
 * never from the frames being judged; what is not known stays unknown.
 *
 * @param shim null when the host has no shim on the parent
 * @param addressing one entry per family the container has (IPv4, IPv6 or both)
 */
public record Topology(Endpoint parent, Endpoint shim, Endpoint container, List<Addressing> addressing) {
    public Topology {
        addressing = List.copyOf(addressing);
    }

    /**
     * The addresses of one family.
     *
     * @param container the container's address
     * @param host the host's address the container talks to (the parent's); null when not known
     * @param expectedSrcIp the source of host-to-container traffic per the kernel's route choice; null when not known
     * @param routeDev the device of that route choice; null when not known
     * @param lan the LAN peers the container is probed against: its gateway (its default route's), then those
     *     given with --lan-ip; empty for none
     */
    public record Addressing(Family family, IpAddress container, IpAddress host, IpAddress expectedSrcIp,
                             String routeDev, List<IpAddress> lan) {
        public Addressing {
            lan = lan == null ? List.of() : List.copyOf(lan);
        }

        public Addressing(Family family, IpAddress container, IpAddress host, IpAddress expectedSrcIp,
                          String routeDev) {
            this(family, container, host, expectedSrcIp, routeDev, List.of());
        }

        public Addressing withLan(List<IpAddress> peers) {
            return new Addressing(family, container, host, expectedSrcIp, routeDev, peers);
        }
    }

    /** The same topology with the LAN peers of each family (the container's gateway, --lan-ip). */
    public Topology withLan(Map<Family, List<IpAddress>> peers) {
        List<Addressing> l = new ArrayList<>();
        for (Addressing a : addressing) {
            l.add(a.withLan(peers.getOrDefault(a.family(), List.of())));
        }
        return new Topology(parent, shim, container, l);
    }

    /** A live target's topology: its links as resolved, and the kernel's route choice to each address. */
    public static Topology of(Target t, Map<Family, RouteLookup> lookups) {
        Link c = t.containerIface();
        Endpoint ctr = new Endpoint(c.name(), c.macBits(), t.containerIp(Family.V4), t.containerIp(Family.V6),
                c.macvlanMode(), c.adminUp());
        return new Topology(endpoint(t.parent()), t.shim() == null ? null : endpoint(t.shim()), ctr,
                addressing(t.containerIps(), t.parent(), lookups));
    }

    /** The topology the kernel facts describe (a facts file, or our recorded facts). */
    public static Topology of(KernelFacts k) {
        Link c = k.containerIface();
        Endpoint ctr = c == null ? new Endpoint("?", 0, k.containerIp(Family.V4), k.containerIp(Family.V6), null, false)
                : new Endpoint(c.name(), c.macBits(), k.containerIp(Family.V4), k.containerIp(Family.V6),
                        c.macvlanMode(), c.adminUp());
        Map<Family, List<IpAddress>> gateways = new java.util.EnumMap<>(Family.class);
        k.containerGateways().forEach((f, g) -> gateways.put(f, List.of(g)));
        return new Topology(endpoint(k.parent()), k.shim() == null ? null : endpoint(k.shim()), ctr,
                addressing(k.containerIps(), k.parent(), k.hostToContainer())).withLan(gateways);
    }

    private static List<Addressing> addressing(Map<Family, IpAddress> ips, Link parent,
                                               Map<Family, RouteLookup> lookups) {
        List<Addressing> l = new ArrayList<>();
        for (Family f : Family.values()) {
            IpAddress ctr = ips.get(f);
            if (ctr == null) {
                continue;
            }
            RouteLookup r = lookups.get(f);
            IpAddress src = r == null || r.prefsrc() == null ? null : IpAddress.tryParse(r.prefsrc());
            Cidr own = parent.firstAddress(f);
            l.add(new Addressing(f, ctr, own != null ? own.address() : src, src, r == null ? null : r.dev()));
        }
        return l;
    }

    private static Endpoint endpoint(Link l) {
        Cidr v4 = l.firstAddress(Family.V4);
        Cidr v6 = l.firstAddress(Family.V6);
        return new Endpoint(l.name(), l.macBits(), v4 == null ? null : v4.address(), v6 == null ? null : v6.address(),
                l.macvlanMode(), l.adminUp());
    }

    /** The addressing of a family, or null when the container has no address of it. */
    public Addressing of(Family f) {
        for (Addressing a : addressing) {
            if (a.family() == f) {
                return a;
            }
        }
        return null;
    }

    public List<Family> families() {
        List<Family> l = new ArrayList<>();
        addressing.forEach(a -> l.add(a.family()));
        return l;
    }

    /** The container's addresses, IPv4 first. */
    public List<IpAddress> containerAddresses() {
        List<IpAddress> l = new ArrayList<>();
        addressing.forEach(a -> l.add(a.container()));
        return l;
    }

    /** "the shim macvlan0-host (9e:..)", "the parent ens33 (..)", ... for a MAC address, or the address itself. */
    public String nameOfMac(long mac) {
        if (shim != null && shim.mac() == mac && mac != 0) {
            return "the shim " + shim.name() + " (" + Mac.format(mac) + ")";
        }
        if (parent != null && parent.mac() == mac && mac != 0) {
            return "the parent " + parent.name() + " (" + Mac.format(mac) + ")";
        }
        if (container != null && container.mac() == mac && mac != 0) {
            return "the container's " + container.name() + " (" + Mac.format(mac) + ")";
        }
        return Mac.format(mac);
    }
}
