package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** shim-parent: the macvlan that carries the route to the container is a child of another parent. */
final class ShimParent implements Rule {
    @Override
    public Cause cause() {
        return Cause.SHIM_PARENT;
    }

    @Override
    public Stage stage() {
        return Stage.SHIM;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        KernelFacts k = c.k();
        Map<String, Link> wrong = new LinkedHashMap<>();
        k.hostLinks().stream().filter(l -> l.isMacvlan() && !l.parentElsewhere() && l.parentIndex() != k.parent().index())
                .forEach(l -> wrong.put(l.name(), l));
        List<String> facts = new ArrayList<>();
        Link carrier = null;
        for (Family f : k.families()) {
            RouteLookup r = k.hostToContainer().get(f);
            if (r != null && wrong.containsKey(r.dev())) {
                carrier = wrong.get(r.dev());
                facts.add(RouteLookup.describe(r, k.containerIp(f)));
            }
        }
        if (carrier == null) {
            return List.of();
        }
        Link lower = k.hostLink(carrier.parentIndex());
        facts.add(0, Evidence.linkFact(carrier) + ", child of " + (lower == null ? "ifindex " + carrier.parentIndex()
                : lower.name()));
        String shim = c.shim();
        List<Change> fix = new ArrayList<>();
        if (k.shim() == null) {
            fix.addAll(Fixes.createShim(c, shim));
        } else if (!k.shim().adminUp()) {
            fix.add(new LinkState(c.ns(), shim, true));
        }
        for (Family f : k.families()) {
            fix.addAll(Fixes.shimPath(c, f, shim, true, false));
        }
        return List.of(new Diagnosis(cause(), null, "the route to the container goes through " + carrier.name()
                + ", a macvlan of " + (lower == null ? "another interface" : lower.name()) + ", not of the container's "
                + "parent " + c.parent() + ": macvlan children meet only on their own parent", facts,
                Evidence.unansweredAll(c.ctx()), fix, List.of("the route is moved to " + shim + " (ip route replace "
                        + "keeps it in place until then); " + carrier.name() + " is left as it is: it may serve "
                        + "containers on " + (lower == null ? "its own parent" : lower.name())
                        + ", delete it if nothing uses it")));
    }
}
