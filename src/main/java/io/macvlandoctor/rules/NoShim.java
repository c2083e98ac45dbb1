package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Role.SHIM;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.analysis.PathChecks;
import java.util.ArrayList;
import java.util.List;

/** no-shim: no macvlan on the parent in the host namespace, so the parent never meets its children. */
final class NoShim implements Rule {
    @Override
    public Cause cause() {
        return Cause.NO_SHIM;
    }

    @Override
    public Stage stage() {
        return Stage.SHIM;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        if (c.k().shim() != null || c.found(Cause.SHIM_PARENT)) {
            return List.of();
        }
        String shim = c.shim();
        List<Change> fix = new ArrayList<>(Fixes.createShim(c, shim));
        for (Family f : c.k().families()) {
            fix.addAll(Fixes.shimPath(c, f, shim, false, true));
        }
        List<String> notes = new ArrayList<>();
        if (!shim.equals(Target.DEFAULT_SHIM)) {
            notes.add(Target.DEFAULT_SHIM + " exists but is not a macvlan of " + c.parent() + ": the new shim is "
                    + "named " + shim);
        }
        return List.of(new Diagnosis(cause(), null, "there is no macvlan on " + c.parent() + " in the host namespace: "
                + "the parent never receives frames from its macvlan children, so host and container cannot meet",
                List.of("no macvlan link on " + c.parent() + " in " + c.ns().label()), Evidence.unansweredAll(c.ctx()),
                fix, notes));
    }

    /** The container's resolution never reached a shim, and none was captured: no shim, or one that is down. */
    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        Exchange cr = c.run().exchanges().containerResolve();
        if (!unreachedShim(c) || c.cov().whole(SHIM)) {
            return List.of();
        }
        List<Frame> ev = cr.requests();
        return List.of(new Diagnosis(cause(), c.run().family(), "nothing on the host answered the container's "
                + resolve(c) + " " + c.host() + " (seen " + PathChecks.seen(ev) + "), and no shim was captured: the "
                + "host has no bridge-mode macvlan on the parent, or it is down (no-shim or shim-down: `diagnose` on "
                + "the host tells which)", List.of(), ev, List.of(), List.of("on the host: macvlan-doctor setup "
                        + "(creates the shim and its route), or macvlan-doctor diagnose")));
    }

    /** The container's resolution of the host failed and never reached the shim. */
    static boolean unreachedShim(FramesCase c) {
        Exchange cr = c.run().exchanges().containerResolve();
        return c.run().resolveFailed() && cr != null && cr.replies().isEmpty() && !cr.requestSeenAt(SHIM);
    }

    static String resolve(FramesCase c) {
        return c.run().family() == Family.V4 ? "who-has" : "neighbour solicitation for";
    }
}
