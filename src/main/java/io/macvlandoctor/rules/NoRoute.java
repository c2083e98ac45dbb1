package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** no-route: no route to the container through the shim: the host sends to it through the parent. */
final class NoRoute implements Rule {
    @Override
    public Cause cause() {
        return Cause.NO_ROUTE;
    }

    @Override
    public Stage stage() {
        return Stage.ROUTE;
    }

    /** The host's lookup does not use the shim, the path failed, and no other route cause explained it. */
    static boolean applies(Case c) {
        RouteLookup get = c.k().hostToContainer().get(c.family());
        boolean viaShim = get != null && c.shim().equals(get.dev());
        return !viaShim && (c.run().hostFailed() || c.run().containerFailed())
                && c.foundFor(Cause.IPV6_DISABLED, Cause.POLICY_ROUTE, Cause.IPAM_OVERLAP) == null;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        if (!applies(c) || c.foundFor(Cause.ROUTE_MISMATCH) != null) {
            return List.of();
        }
        Family f = c.family();
        String shim = c.shim();
        RouteLookup get = c.k().hostToContainer().get(f);
        String where = get == null ? "nowhere" : get.dev();
        var ev = Evidence.leftViaParent(c.run().exchanges());
        List<String> facts = new ArrayList<>(List.of(RouteLookup.describe(get, c.ctr())));
        List<String> notes = new ArrayList<>();
        for (Route n : c.k().mainRoutes()) {
            if (shim.equals(n.dev()) && n.dst() != null && n.dst().isHost() && c.ctx().answering()
                    .contains(n.dst().address()) && Typo.oneAway(n.dst().address(), c.ctr())) {
                facts.add("route " + n.describe() + ": " + n.dst().address() + " answers through " + shim
                        + " (a live neighbour: its route is left alone)");
                notes.add("the route to " + n.dst().address() + " is that container's own, not a typo: it answered "
                        + "through " + shim);
            }
        }
        return List.of(new Diagnosis(cause(), f, "no route to " + c.ctr() + " through " + shim + ": the host sends to "
                + "it through " + where + Evidence.describeLeft(ev, where, f), facts, ev,
                List.of(Fixes.route(c, f, shim, false)), notes));
    }

    /** The host's own frames for the container left through the parent, not seen on a shim that was captured. */
    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        Predicate<Frame> left = x -> x.seenAt(PARENT, OUT) || x.point().role() == WIRE && x.direction() != OUT;
        List<Frame> viaParent = new ArrayList<>();
        var ex = c.run().exchanges();
        for (Exchange e : new Exchange[] {ex.hostResolve(), ex.hostEcho()}) {
            if (e != null && e.replies().isEmpty() && !(c.cov().whole(SHIM) && e.requestSeenAt(SHIM))) {
                e.requests().stream().filter(left).forEach(viaParent::add);
            }
        }
        if (ex.containerEcho() != null) {
            ex.containerEcho().replies().stream().filter(left).forEach(viaParent::add);
        }
        boolean failed = c.run().hostFailed() || c.run().failed(io.macvlandoctor.model.CheckId.Kind.CONTAINER_ICMP);
        if (!failed || viaParent.isEmpty()) {
            return List.of();
        }
        Frame first = viaParent.get(0);
        Family f = c.run().family();
        return List.of(new Diagnosis(cause(), f, "the host sent to " + c.a().container() + " through the parent: its "
                + (first.kind().isResolution() ? "request for the container's address" : first.summary())
                + " left through the parent (egress" + (viaParent.stream().anyMatch(x -> x.seenAt(WIRE, IN))
                        ? ", seen on the wire" : "") + ") instead of the shim, so the host has no route to the "
                + "container through the shim (no-route or route-mismatch: the frames cannot tell which, `diagnose` "
                + "on the host can)", List.of(), viaParent, List.of(), List.of("on the host: ip "
                        + (f == Family.V6 ? "-6 " : "") + "route add " + c.a().container() + " dev " + c.shim()
                        + " (and delete a mistyped route through the shim, if there is one); macvlan-doctor diagnose "
                        + "prints the exact commands")));
    }
}
