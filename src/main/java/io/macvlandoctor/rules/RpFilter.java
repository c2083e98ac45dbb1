package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.RouteLookup;
import java.util.List;

/**
 * rp-filter: strict reverse-path filtering drops the container's packets on the shim while the route back to the
 * container leaves elsewhere. A mechanism of the wrong route: cured by its fix, and rp_filter stays strict.
 */
final class RpFilter implements Rule {
    @Override
    public Cause cause() {
        return Cause.RP_FILTER;
    }

    @Override
    public Stage stage() {
        return Stage.SETTINGS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        KernelFacts k = c.k();
        String shim = c.shim();
        Cause route = Rules.routeCause(c);
        if (c.family() != Family.V4 || !c.run().containerFailed() || route == null
                || k.effectiveMax(shim, "rp_filter") != 1) {
            return List.of();
        }
        String src = k.source(shim, "rp_filter");
        RouteLookup get = k.hostToContainer().get(Family.V4);
        List<KernelEvent> drops = c.kernel(KernelEvent.Drop.class).stream()
                .filter(d -> d.reason().equals("IP_RPFILTER")).map(d -> (KernelEvent) d).toList();
        return List.of(new Diagnosis(cause(), Family.V4, src + " (strict reverse-path filter): packets from "
                + c.ctr() + " arriving on " + shim + " are dropped, because the route back to " + c.ctr()
                + " leaves through " + (get == null ? "no interface" : get.dev()), List.of(src,
                        RouteLookup.describe(get, c.ctr())),
                Evidence.arrivedUnanswered(c.run().exchanges().containerResolve()), drops, List.of(),
                List.of("cured by the fix of " + route.code() + ": with the container routed through " + shim
                        + " the reverse path matches, and rp_filter stays strict (loosening it would weaken "
                        + "anti-spoofing on every interface for no gain)"), route));
    }
}
