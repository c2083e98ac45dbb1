package io.macvlandoctor.system;

import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Ruleset;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the kernel says about a target, afresh: links, addresses, routes, the kernel's route choices both ways,
 * the sysctls that decide the path, neighbour and proxy entries, firewall rules. The diagnosis and `facts` describe
 * the system as it is when they run, not as it was when the run began.
 */
public final class KernelReader {
    /** IPv4 settings that decide whether the shim answers ARP and accepts the container's packets. */
    private static final List<String> CONF4 = List.of("arp_ignore", "arp_filter", "rp_filter");

    private final ProcessRunner runner;
    private final Firewall firewall;

    public KernelReader(ProcessRunner runner) {
        this.runner = runner;
        this.firewall = new Firewall(runner);
    }

    /** The kernel's route choice from the host to each of the container's addresses (absent: unreachable). */
    public Map<Family, RouteLookup> hostToContainer(Target t) {
        Ip host = new Ip(t.hostNs(), runner);
        Map<Family, RouteLookup> m = new EnumMap<>(Family.class);
        t.containerIps().forEach((f, a) -> {
            RouteLookup r = host.routeGet(a);
            if (r != null) {
                m.put(f, r);
            }
        });
        return m;
    }

    public KernelFacts read(Target t) {
        Ip host = new Ip(t.hostNs(), runner);
        Link ctrIface = null;
        Map<Family, RouteLookup> ctrToHost = new EnumMap<>(Family.class);
        List<Link> hostLinks = host.links();
        Link parent = hostLinks.stream().filter(l -> l.name().equals(t.parent().name())).findFirst().orElse(t.parent());
        Link shim = t.shim() == null ? null : hostLinks.stream().filter(l -> l.name().equals(t.shim().name()))
                .findFirst().orElse(null);
        List<Neighbour> neighbours = new ArrayList<>();
        Map<String, Integer> ctrSysctls = Map.of();
        boolean ctrAlive = t.containerNs() != null && Files.exists(t.containerNs().file());
        Ip ctr = ctrAlive ? new Ip(t.containerNs(), runner) : null;
        if (ctr != null) {
            String name = t.containerIface() == null ? null : t.containerIface().name();
            ctrIface = ctr.links().stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
            List<String> names = new ArrayList<>(List.of("net.ipv4.icmp_echo_ignore_all",
                    "net.ipv6.icmp.echo_ignore_all", Sysctl.conf4("all", "arp_ignore"),
                    Sysctl.conf4("all", "rp_filter"), Sysctl.conf6("all", "disable_ipv6")));
            if (name != null) {
                names.addAll(List.of(Sysctl.conf4(name, "arp_ignore"), Sysctl.conf4(name, "rp_filter"),
                        Sysctl.conf6(name, "disable_ipv6")));
            }
            ctrSysctls = new Sysctls(t.containerNs()).read(names);
        }
        for (Family f : t.families()) {
            neighbours.addAll(host.neighbours(t.containerIp(f), Side.HOST));
            IpAddress hostIp = parent.firstAddress(f) == null ? null : parent.firstAddress(f).address();
            if (ctr != null && hostIp != null) {
                RouteLookup r = ctr.routeGet(hostIp);
                if (r != null) {
                    ctrToHost.put(f, r);
                }
                neighbours.addAll(ctr.neighbours(hostIp, Side.CONTAINER));
            }
        }
        if (t.families().contains(Family.V6)) {
            neighbours.addAll(host.proxies(Side.HOST));
        }
        Map<String, Integer> sysctls = new Sysctls(t.hostNs()).read(sysctlNames(hostLinks, parent, shim, t));
        List<Ruleset> rules = new ArrayList<>(firewall.read(t.hostNs(), Side.HOST));
        if (ctrAlive) {
            rules.addAll(firewall.read(t.containerNs(), Side.CONTAINER));
        }
        return new KernelFacts(t.hostNs(), ctrAlive ? t.containerNs() : null, hostLinks, parent, shim, ctrIface,
                t.containerIps(), routes(host, t), hostToContainer(t), ctrToHost, sysctls, ctrSysctls, neighbours,
                rules, host.nic(parent.name()), ctr == null ? Map.of() : ctr.gateways(), host.rules(), List.of());
    }

    /**
     * The main table whole, and of every other table the routes that would carry a container's address (a policy
     * rule may send its lookup there): those that cover it, default routes included.
     */
    private static List<Route> routes(Ip host, Target t) {
        List<Route> out = new ArrayList<>();
        for (Route r : host.routesEveryTable()) {
            if (r.inMain() || t.containerIps().values().stream().anyMatch(a -> r.family() == a.family()
                    && (r.dst() == null || r.dst().contains(a)))) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Every interface's arp_ignore (a fix that must lower "all" restores the others one by one), the filters of the
     * path, ICMP echo settings, and for IPv6 the proxy NDP settings of the shim.
     */
    private static Set<String> sysctlNames(List<Link> links, Link parent, Link shim, Target t) {
        Set<String> names = new LinkedHashSet<>();
        List<String> devs = new ArrayList<>(List.of("all", "default", parent.name()));
        if (shim != null) {
            devs.add(shim.name());
        }
        String shimName = t.shimName();
        if (t.families().contains(Family.V4)) {
            for (String dev : devs) {
                CONF4.forEach(n -> names.add(Sysctl.conf4(dev, n)));
            }
            links.forEach(l -> names.add(Sysctl.conf4(l.name(), "arp_ignore")));
            names.add("net.ipv4.icmp_echo_ignore_all");
        }
        if (t.families().contains(Family.V6)) {
            for (String dev : List.of("all", "default", shimName)) {
                names.add(Sysctl.conf6(dev, "proxy_ndp"));
                names.add(Sysctl.conf6(dev, "forwarding"));
            }
            names.add(Sysctl.neigh6("default", "proxy_delay"));
            names.add(Sysctl.neigh6(shimName, "proxy_delay"));
            names.add(Sysctl.neigh6(shimName, "retrans_time_ms"));
            for (String dev : List.of("all", "default", parent.name(), shimName)) {
                names.add(Sysctl.conf6(dev, "disable_ipv6"));
            }
            names.add("net.ipv6.icmp.echo_ignore_all");
        }
        return names;
    }
}
