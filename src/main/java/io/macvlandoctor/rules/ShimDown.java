package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkState;
import java.util.ArrayList;
import java.util.List;

/** shim-down: the shim is down, and the kernel dropped the routes through it (and its proxy entries). */
final class ShimDown implements Rule {
    @Override
    public Cause cause() {
        return Cause.SHIM_DOWN;
    }

    @Override
    public Stage stage() {
        return Stage.SHIM;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        Link shim = c.k().shim();
        if (shim == null || c.found(Cause.SHIM_PARENT, Cause.NO_SHIM) || shim.adminUp()
                || !MacvlanMode.BRIDGE.id().equals(shim.macvlanMode())) {
            return List.of();
        }
        List<Change> fix = new ArrayList<>(List.of(new LinkState(c.ns(), shim.name(), true)));
        for (Family f : c.k().families()) {
            // A link that goes down loses its proxy entries as well (pneigh_ifdown); its sysctls stay.
            fix.addAll(Fixes.shimPath(c, f, shim.name(), false, false));
        }
        return List.of(new Diagnosis(cause(), null, shim.name() + " is down, and the kernel dropped the routes "
                + "through it", List.of(Evidence.linkFact(shim)), Evidence.unansweredAll(c.ctx()), fix,
                List.of("routes to other containers through " + shim.name() + " went with it and are not known any "
                        + "more: add them again, or make the shim and its routes permanent (setup --persist)")));
    }
}
