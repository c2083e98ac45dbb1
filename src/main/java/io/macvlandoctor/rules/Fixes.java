package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.Recipes;
import java.util.ArrayList;
import java.util.List;

/** The recipes, as the rules apply them to the facts of a host. */
final class Fixes {
    private Fixes() {
    }

    /** A new bridge-mode shim on the parent, up. */
    static List<Change> createShim(Case c, String shim) {
        int maxIndex = c.k().hostLinks().stream().mapToInt(Link::index).max().orElse(0);
        return Recipes.shim(c.ns(), c.parent(), shim, maxIndex);
    }

    /**
     * The route of the container's address of a family through the shim: `add`, or `replace` when another route
     * to that very address exists (moved: always replace, the old one stays until then).
     */
    static Change route(Case c, Family f, String shim, boolean moved) {
        KernelFacts k = c.k();
        IpAddress ctr = k.containerIp(f);
        Route existing = k.hostRoutes().stream().filter(r -> r.isHostRouteTo(ctr)).findFirst().orElse(null);
        if (moved && existing == null) {
            return new io.macvlandoctor.model.change.RouteReplace(c.ns(), Cidr.host(ctr), shim, null);
        }
        return Recipes.route(c.ns(), Cidr.host(ctr), shim, existing);
    }

    /** Proxy NDP on the shim for the host's IPv6 address: what is missing, or all of it on a fresh shim. */
    static List<Change> proxyNdp(Case c, String shim, boolean fresh) {
        KernelFacts k = c.k();
        IpAddress host = k.hostIp(Family.V6);
        boolean fromScratch = fresh || k.shim() == null || !k.shim().name().equals(shim);
        return Recipes.proxyNdp(c.ns(), shim, fromScratch, k.sysctls()::get, host, hasProxy(k, host, shim));
    }

    static boolean hasProxy(KernelFacts k, IpAddress ip, String dev) {
        return ip != null && k.neighbours().stream().anyMatch(n -> n.proxy() && n.ip().equals(ip)
                && dev.equals(n.dev()));
    }

    /**
     * The route and, for IPv6, the proxy NDP a shim needs: all of it for a shim that is new or made again (a new
     * link has none of its sysctls or proxy entries), what is missing for one that exists.
     */
    static List<Change> shimPath(Case c, Family f, String shim, boolean moved, boolean fresh) {
        List<Change> l = new ArrayList<>();
        l.add(route(c, f, shim, moved));
        if (f == Family.V6) {
            l.addAll(proxyNdp(c, shim, fresh));
        }
        return l;
    }
}
