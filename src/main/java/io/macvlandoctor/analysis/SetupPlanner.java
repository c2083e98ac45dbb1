package io.macvlandoctor.analysis;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.change.AddressAdd;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkAdd;
import io.macvlandoctor.model.change.LinkState;
import io.macvlandoctor.model.change.Recipes;
import io.macvlandoctor.model.change.SysctlSet;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.MacvlanMode;
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
 * proxy entry for the host's address), from the recipes every fix shares. Pure: the caller hands in what the kernel
 * reported. Links and routes the tool did not create are never changed, only reported.
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

    /**
     * What the kernel reported that the plan depends on.
     *
     * @param maxIndex the highest ifindex in the host namespace (a link created later has a higher one)
     */
    public record Host(List<Route> routes, Map<String, Integer> sysctls, List<Neighbour> proxies, int maxIndex) {
    }

    /**
     * @param routeTo what to route through the shim, one entry per family: the container's address, or its
     *     network's ip-range
     * @param shimIp an address for the shim itself, or null
     */
    public static Plan plan(Target t, Host h, MacvlanMode mode, Cidr shimIp, List<Cidr> routeTo) {
        return plan(t, h, mode, shimIp, routeTo, false);
    }

    /**
     * @param replaceRoute replace a route to the destination that goes elsewhere (journaled with what it was, so
     *     that teardown puts it back); without it such a route is refused
     */
    public static Plan plan(Target t, Host h, MacvlanMode mode, Cidr shimIp, List<Cidr> routeTo,
                            boolean replaceRoute) {
        Netns ns = t.hostNs();
        String shim = t.shimName();
        String parent = t.parent().name();
        List<Change> changes = new ArrayList<>();
        List<String> there = new ArrayList<>();
        Link existing = t.shim();

        if (existing == null) {
            changes.add(LinkAdd.of(ns, shim, parent, mode, h.maxIndex()));
        } else {
            if (!existing.isMacvlan() || existing.parentElsewhere() || existing.parentIndex() != t.parent().index()) {
                throw new EnvironmentException(shim + " exists but is not a macvlan on " + parent
                        + "; choose another name with --shim");
            }
            if (!mode.id().equals(existing.macvlanMode())) {
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
                changes.add(new AddressAdd(ns, shimIp, shim));
            }
        }

        if (existing != null && existing.adminUp()) {
            there.add(shim + " is up");
        } else {
            changes.add(new LinkState(ns, shim, true));
        }

        boolean proxied = false;
        for (Cidr to : routeTo) {
            if (to.family() == Family.V6 && !proxied) {
                // Once for all the IPv6 routes (a network's containers share the shim and the host's address).
                proxyNdp(t, h, existing == null, changes, there);
                proxied = true;
            }
            route(ns, shim, h.routes(), to, changes, there, replaceRoute);
        }
        return new Plan(changes, there);
    }

    private static void route(Netns ns, String shim, List<Route> routes, Cidr to, List<Change> changes,
                              List<String> there, boolean replace) {
        String dst = to.destination();
        Route hostRoute = routes.stream().filter(r -> r.dst() != null && r.dst().network().equals(to.network()))
                .findFirst().orElse(null);
        if (hostRoute == null) {
            changes.add(Recipes.route(ns, to, shim, null));
        } else if (hostRoute.dev().equals(shim) && hostRoute.gateway() == null) {
            there.add("route " + dst + " dev " + shim);
        } else if (replace) {
            changes.add(Recipes.route(ns, to, shim, hostRoute));
        } else {
            throw new EnvironmentException("a route to " + dst + " already exists (" + hostRoute.describe()
                    + "); setup does not replace routes it did not create: remove it (ip "
                    + (to.family() == Family.V6 ? "-6 " : "") + "route del " + hostRoute.describe()
                    + ") and run setup again, or give --replace-route");
        }
    }

    /**
     * IPv6 has no ARP flux: the shim answers solicitations for the host's address only as a proxy, and the kernel
     * proxies only on a forwarding interface. Each sysctl is journaled with the value it had.
     */
    private static void proxyNdp(Target t, Host h, boolean newShim, List<Change> changes, List<String> there) {
        String shim = t.shimName();
        Cidr host = t.parent().firstAddress(Family.V6);
        if (host == null) {
            throw new EnvironmentException(t.parent().name() + " has no global IPv6 address: nothing for the container "
                    + "to reach over IPv6 (give --family 4)");
        }
        IpAddress hostIp = host.address();
        boolean hasProxy = h.proxies().stream().anyMatch(n -> n.proxy() && n.ip().equals(hostIp)
                && shim.equals(n.dev()));
        List<Change> recipe = Recipes.proxyNdp(t.hostNs(), shim, newShim, h.sysctls()::get, hostIp, hasProxy);
        changes.addAll(recipe);
        for (String name : List.of(Sysctl.conf6(shim, "proxy_ndp"), Sysctl.conf6(shim, "forwarding"),
                Sysctl.neigh6(shim, "proxy_delay"))) {
            if (recipe.stream().noneMatch(c -> c instanceof SysctlSet s && s.name().equals(name))) {
                // Not set: it has its value already, or (proxy_ndp) "all" has it on for every interface.
                boolean viaAll = name.endsWith("proxy_ndp") && Integer.valueOf(1).equals(h.sysctls()
                        .get(Sysctl.conf6("all", "proxy_ndp"))) && !newShim;
                there.add(viaAll ? Sysctl.conf6("all", "proxy_ndp") + "=1" : name + "=" + (name.endsWith("proxy_delay")
                        ? 0 : 1));
            }
        }
        if (hasProxy) {
            there.add("proxy entry " + hostIp + " dev " + shim);
        }
    }
}
