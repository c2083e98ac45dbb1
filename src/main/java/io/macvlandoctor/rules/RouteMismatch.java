package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.RouteDelete;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * route-mismatch: the route through the shim names an address one typo away from the container's (the article's
 * .140 for .240), and nothing answers there. A route to an address that answers through the shim is a neighbour's
 * own route and is never taken for a typo: the engine asks each candidate before the diagnosis.
 */
public final class RouteMismatch implements Rule {
    @Override
    public Cause cause() {
        return Cause.ROUTE_MISMATCH;
    }

    @Override
    public Stage stage() {
        return Stage.ROUTE;
    }

    /**
     * Host routes through the shim to a single address one typo away from the container's, that belong to no other
     * container of the run: a mistyped route to the container, or a neighbour's own route.
     */
    public static List<IpAddress> candidates(KernelFacts k, Set<IpAddress> otherContainers) {
        if (k.shim() == null) {
            return List.of();
        }
        List<IpAddress> l = new ArrayList<>();
        for (Family f : k.families()) {
            for (Route r : typos(k, f, k.shim().name(), otherContainers)) {
                l.add(r.dst().address());
            }
        }
        return l;
    }

    private static List<Route> typos(KernelFacts k, Family f, String shim, Set<IpAddress> others) {
        IpAddress ctr = k.containerIp(f);
        return k.mainRoutes().stream().filter(r -> shim.equals(r.dev()) && r.dst() != null && r.dst().isHost()
                && r.dst().family() == f && !r.dst().address().equals(ctr) && !others.contains(r.dst().address())
                && Typo.oneAway(r.dst().address(), ctr)).toList();
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        if (!NoRoute.applies(c)) {
            return List.of();
        }
        Family f = c.family();
        String shim = c.shim();
        Route typo = typos(c.k(), f, shim, c.ctx().otherContainers()).stream()
                .filter(r -> !c.ctx().answering().contains(r.dst().address())).findFirst().orElse(null);
        if (typo == null) {
            return List.of();
        }
        RouteLookup get = c.k().hostToContainer().get(f);
        String where = get == null ? "nowhere" : get.dev();
        var ev = Evidence.leftViaParent(c.run().exchanges());
        List<Change> fix = new ArrayList<>();
        fix.add(new RouteDelete(c.ns(), typo));
        fix.add(Fixes.route(c, f, shim, false));
        return List.of(new Diagnosis(cause(), f, "the route through " + shim + " names " + typo.dst().address()
                + ", not the container's " + c.ctr() + " (one digit apart: a typo, as in the article; nothing answers "
                + "at " + typo.dst().address() + " through " + shim + "); " + c.ctr() + " goes through " + where
                + Evidence.describeLeft(ev, where, f), List.of("route " + typo.describe(), RouteLookup.describe(get,
                        c.ctr())), ev, fix, List.of()));
    }
}
