package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Role.SHIM;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkDelete;
import io.macvlandoctor.model.change.ProxyEntry;
import io.macvlandoctor.model.change.RouteAdd;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** shim-mode: the shim is a macvlan in private, vepa or another mode: only bridge-mode children meet. */
final class ShimMode implements Rule {
    @Override
    public Cause cause() {
        return Cause.SHIM_MODE;
    }

    @Override
    public Stage stage() {
        return Stage.SHIM;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        Link shim = c.k().shim();
        if (shim == null || c.found(Cause.SHIM_PARENT, Cause.NO_SHIM)
                || MacvlanMode.BRIDGE.id().equals(shim.macvlanMode())) {
            return List.of();
        }
        String name = shim.name();
        // Deleting the shim drops every route through it, the other containers' too: all of them come back.
        List<Route> through = c.k().hostRoutes().stream().filter(r -> name.equals(r.dev()) && r.dst() != null
                && !"kernel".equals(r.protocol())).toList();
        MacvlanMode mode = MacvlanMode.of(shim.macvlanMode());
        List<Change> fix = new ArrayList<>();
        fix.add(new LinkDelete(c.ns(), name, shim.index(), c.parent(), mode == null ? MacvlanMode.PRIVATE : mode,
                shim.adminUp(), through.stream().filter(r -> r.gateway() == null).toList()));
        fix.addAll(Fixes.createShim(c, name));
        Set<IpAddress> routed = new LinkedHashSet<>();
        for (Route r : through) {
            fix.add(RouteAdd.of(c.ns(), r.dst().isHost() ? Cidr.host(r.dst().address()) : r.dst().network(), name));
            if (r.dst().isHost()) {
                routed.add(r.dst().address());
            }
        }
        for (Family f : c.k().families()) {
            if (!routed.contains(c.k().containerIp(f))) {
                fix.add(RouteAdd.of(c.ns(), Cidr.host(c.k().containerIp(f)), name));
            }
        }
        if (c.k().families().contains(Family.V6)) {
            // A new link has none of the old one's IPv6 settings or proxy entries.
            fix.addAll(Fixes.proxyNdp(c, name, true));
            IpAddress host = c.k().hostIp(Family.V6);
            c.k().neighbours().stream().filter(n -> n.proxy() && name.equals(n.dev()) && !n.ip().equals(host))
                    .forEach(n -> fix.add(new ProxyEntry(c.ns(), n.ip(), name)));
        }
        return List.of(new Diagnosis(cause(), null, name + " is a macvlan in " + shim.macvlanMode() + " mode: only "
                + "bridge-mode children of one parent reach each other", List.of(Evidence.linkFact(shim)),
                Evidence.unansweredAll(c.ctx()), fix, through.isEmpty()
                        ? List.of("the mode cannot be changed in place: the shim is created again")
                        : List.of("the mode cannot be changed in place: the shim is created again, and the "
                                + through.size() + " route(s) through it with it")));
    }

    /** The container's resolution never reached a shim that was captured whole: it is not a bridge-mode child. */
    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        if (!NoShim.unreachedShim(c) || !c.cov().whole(SHIM)) {
            return List.of();
        }
        var ev = c.run().exchanges().containerResolve().requests();
        return List.of(new Diagnosis(cause(), c.run().family(), "the container's " + NoShim.resolve(c) + " "
                + c.host() + " never reached " + c.shim() + " although it was captured: the shim is not a "
                + "bridge-mode macvlan of the container's parent (shim-mode; or it was down: `diagnose` on the host "
                + "tells which)", List.of(), ev, List.of(), List.of("on the host: macvlan-doctor diagnose (it prints "
                        + "the exact commands)")));
    }

}
