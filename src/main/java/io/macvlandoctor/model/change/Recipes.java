package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.FirewallRule;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The fix as typed changes, in one place: the shim, its route, proxy NDP, a firewall accept, a policy rule, a
 * neighbour entry. setup, verify --setup, diagnose (whose fixes --apply journals as they are) and the shell all
 * build their changes here, so a recipe exists once.
 */
public final class Recipes {
    private Recipes() {
    }

    /** A bridge-mode macvlan child of the parent, up. */
    public static List<Change> shim(Netns ns, String parent, String name, int afterIndex) {
        return List.of(LinkAdd.of(ns, name, parent, MacvlanMode.BRIDGE, afterIndex), new LinkState(ns, name, true));
    }

    /** Routes dst through dev: add, or replace the route to that very destination that is there now. */
    public static Change route(Netns ns, Cidr dst, String dev, Route existing) {
        return existing == null ? RouteAdd.of(ns, dst, dev) : new RouteReplace(ns, dst, dev, existing);
    }

    /**
     * The sysctls that make a shim answer solicitations by proxy (proxy_ndp and forwarding on the shim, proxy_delay
     * 0 so that answers do not wait up to 0.8 s) and the proxy entry for the host's address: only what is not in
     * place. A shim not created yet (or created again) starts from the "default" entries.
     *
     * @param sysctl a sysctl's value now, null when it does not exist
     * @param hasEntry whether the proxy entry for hostIp is on the shim already
     */
    public static List<Change> proxyNdp(Netns ns, String shim, boolean fresh, Function<String, Integer> sysctl,
                                        IpAddress hostIp, boolean hasEntry) {
        List<Change> l = new ArrayList<>();
        String from = fresh ? "default" : shim;
        // proxy_ndp counts when either the interface or "all" has it.
        if (value(sysctl, Sysctl.conf6("all", "proxy_ndp")) == 0 || fresh) {
            set(l, ns, Sysctl.conf6(shim, "proxy_ndp"), 1, value(sysctl, Sysctl.conf6(from, "proxy_ndp")));
        }
        set(l, ns, Sysctl.conf6(shim, "forwarding"), 1, value(sysctl, Sysctl.conf6(from, "forwarding")));
        set(l, ns, Sysctl.neigh6(shim, "proxy_delay"), 0, value(sysctl, Sysctl.neigh6(from, "proxy_delay")));
        if (hostIp != null && (fresh || !hasEntry)) {
            l.add(new ProxyEntry(ns, hostIp, shim));
        }
        return l;
    }

    /**
     * A sysctl's value now; one that cannot be read is the kernel's own default (there is no
     * net.ipv6.neigh.default.proxy_delay: a new link starts from the neighbour table's 80, i.e. 0.8 s).
     */
    private static int value(Function<String, Integer> sysctl, String name) {
        Integer v = sysctl.apply(name);
        return v != null ? v : name.endsWith(".proxy_delay") ? 80 : 0;
    }

    private static void set(List<Change> l, Netns ns, String name, int value, int now) {
        if (now != value) {
            l.add(new SysctlSet(ns, name, value, now));
        }
    }

    /**
     * An accept for the traffic between the host and the container on this side's macvlan, right before the rule
     * that drops it (or at the end of the chain, before a drop policy).
     *
     * @param iface the macvlan of the side the rule is on (the shim, or the container's interface)
     * @param peer the address of the other end
     * @param arp the dropped packet is ARP (nft's arp family)
     */
    public static FirewallAccept accept(Netns ns, FirewallRule r, String iface, IpAddress peer, boolean arp) {
        int position = r.isPolicy() ? 0 : (int) r.position();
        String inOut = r.inbound() ? "in" : "out";
        List<String> match;
        if (r.tool().equals("nft")) {
            String addr = r.inbound() ? "saddr" : "daddr";
            match = arp ? List.of(inOut.equals("in") ? "iifname" : "oifname", iface, "arp", addr, "ip", peer.toString(),
                    "accept") : List.of(inOut.equals("in") ? "iifname" : "oifname", iface,
                    peer.family() == Family.V4 ? "ip" : "ip6", addr, peer.toString(), "accept");
        } else {
            match = List.of(r.inbound() ? "-i" : "-o", iface, r.inbound() ? "-s" : "-d", peer.toString(), "-j",
                    "ACCEPT");
        }
        return FirewallAccept.of(ns, r.tool(), r.table(), r.chain(), position, match);
    }
}
