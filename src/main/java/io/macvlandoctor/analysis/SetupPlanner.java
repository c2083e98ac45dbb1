package io.macvlandoctor.analysis;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Works out the changes that apply the fix to a target: a bridge-mode macvlan shim on the parent, up, a host route
 * to the container through it and, for IPv6, proxy NDP on the shim (proxy_ndp, forwarding, proxy_delay 0 and a
 * proxy entry for the host's address). Pure: the caller hands in what the kernel reported. Links and routes the tool
 * did not create are never changed, only reported.
 */
public final class SetupPlanner {
    private SetupPlanner() {
    }

    /** The changes to make (empty when the fix is already in place) and a note on each part that already is. */
    public record Plan(List<Change> changes, List<String> alreadyThere) {
        public boolean nothingToDo() {
            return changes.isEmpty();
        }
    }

    /** What the kernel reported that the plan depends on. */
    public record Host(List<Route> routes, Map<String, Integer> sysctls, List<Neighbour> proxies) {
    }

    /**
     * @param routeTo what to route through the shim, one entry per family: the container's address, or its
     *     network's ip-range
     * @param shimIp an address for the shim itself, or null
     */
    public static Plan plan(Target t, Host h, String mode, Cidr shimIp, List<Cidr> routeTo) {
        Netns ns = t.hostNs();
        String shim = t.shimName();
        String parent = t.parent().name();
        List<Change> changes = new ArrayList<>();
        List<String> there = new ArrayList<>();
        Link existing = t.shim();

        if (existing == null) {
            changes.add(Change.link(ns, "create " + shim + " (macvlan " + mode + " on " + parent + ")",
                    List.of("link", "add", "link", parent, "name", shim, "type", "macvlan", "mode", mode),
                    List.of("link", "del", shim), shim));
        } else {
            if (!existing.isMacvlan() || existing.parentElsewhere() || existing.parentIndex() != t.parent().index()) {
                throw new EnvironmentException(shim + " exists but is not a macvlan on " + parent
                        + "; choose another name with --shim");
            }
            if (!mode.equals(existing.macvlanMode())) {
                throw new EnvironmentException(shim + " exists in " + existing.macvlanMode() + " mode, not " + mode
                        + "; setup does not change links it did not create: delete it (ip link del " + shim
                        + ") or choose another name with --shim");
            }
            there.add(shim + " exists (macvlan " + mode + " on " + parent + ")");
        }

        if (shimIp != null) {
            if (existing != null && existing.hasAddress(shimIp.address())) {
                there.add(shim + " has " + shimIp);
            } else {
                changes.add(Change.of(ns, "add " + shimIp + " to " + shim,
                        List.of("addr", "add", shimIp.toString(), "dev", shim),
                        List.of("addr", "del", shimIp.toString(), "dev", shim)));
            }
        }

        if (existing != null && existing.adminUp()) {
            there.add(shim + " is up");
        } else {
            changes.add(Change.of(ns, "bring " + shim + " up", List.of("link", "set", shim, "up"),
                    List.of("link", "set", shim, "down")));
        }

        boolean proxied = false;
        for (Cidr to : routeTo) {
            if (to.family() == Family.V6 && !proxied) {
                // Once for all the IPv6 routes (a network's containers share the shim and the host's address).
                proxyNdp(t, h, existing == null, changes, there);
                proxied = true;
            }
            route(ns, shim, h.routes(), to, changes, there);
        }
        return new Plan(changes, there);
    }

    private static void route(Netns ns, String shim, List<Route> routes, Cidr to, List<Change> changes,
                              List<String> there) {
        String dst = to.destination();
        List<String> fam = to.family() == Family.V6 ? List.of("-6") : List.of();
        Route hostRoute = routes.stream().filter(r -> r.dst() != null && r.dst().network().equals(to.network()))
                .findFirst().orElse(null);
        if (hostRoute == null) {
            changes.add(Change.of(ns, "route " + dst + " through " + shim, concat(fam, "route", "add", dst, "dev", shim),
                    concat(fam, "route", "del", dst, "dev", shim)));
        } else if (hostRoute.dev().equals(shim) && hostRoute.gateway() == null) {
            there.add("route " + dst + " dev " + shim);
        } else {
            throw new EnvironmentException("a route to " + dst + " already exists (" + hostRoute.describe()
                    + "); setup does not replace routes it did not create: remove it (ip " + (fam.isEmpty() ? "" : "-6 ")
                    + "route del " + hostRoute.describe() + ") and run setup again");
        }
    }

    /**
     * IPv6 has no ARP flux: the shim answers solicitations for the host's address only as a proxy, and the kernel
     * proxies only on a forwarding interface. Each sysctl is journaled with the value it had.
     */
    private static void proxyNdp(Target t, Host h, boolean newShim, List<Change> changes, List<String> there) {
        Netns ns = t.hostNs();
        String shim = t.shimName();
        String start = newShim ? "default" : shim;
        sysctl(ns, Sysctl.conf6(shim, "proxy_ndp"), Sysctl.conf6(start, "proxy_ndp"), 1, h, changes, there);
        sysctl(ns, Sysctl.conf6(shim, "forwarding"), Sysctl.conf6(start, "forwarding"), 1, h, changes, there);
        sysctl(ns, Sysctl.neigh6(shim, "proxy_delay"), Sysctl.neigh6(start, "proxy_delay"), 0, h, changes, there);
        Cidr host = t.parent().firstAddress(Family.V6);
        if (host == null) {
            throw new EnvironmentException(t.parent().name() + " has no global IPv6 address: nothing for the container "
                    + "to reach over IPv6 (give --family 4)");
        }
        IpAddress hostIp = host.address();
        boolean hasProxy = h.proxies().stream().anyMatch(n -> n.proxy() && n.ip().equals(hostIp)
                && shim.equals(n.dev()));
        if (hasProxy) {
            there.add("proxy entry " + hostIp + " dev " + shim);
        } else {
            changes.add(Change.of(ns, "answer solicitations for " + hostIp + " on " + shim + " (proxy entry)",
                    List.of("-6", "neigh", "add", "proxy", hostIp.toString(), "dev", shim),
                    List.of("-6", "neigh", "del", "proxy", hostIp.toString(), "dev", shim)));
        }
    }

    /**
     * A sysctl of the shim.
     *
     * @param current where its value is now: the shim's own, or for a shim not yet created the "default" entry
     *     it will start from
     */
    private static void sysctl(Netns ns, String name, String current, int value, Host h, List<Change> changes,
                               List<String> there) {
        int now = h.sysctls().getOrDefault(current, -1);
        if (now == value) {
            there.add(name + "=" + value);
        } else {
            changes.add(Change.sysctl(ns, name, value, now < 0 ? 0 : now));
        }
    }

    private static List<String> concat(List<String> head, String... rest) {
        List<String> l = new ArrayList<>(head);
        l.addAll(List.of(rest));
        return l;
    }
}
