package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Sysctl;
import java.util.List;

/**
 * arp-filter: with arp_filter on, the host answers ARP on the shim only if its route back to the asker leaves
 * through the shim. Only ever a mechanism of a wrong route: cured by that route's fix, and it stays on.
 */
final class ArpFilter implements Rule {
    @Override
    public Cause cause() {
        return Cause.ARP_FILTER;
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
        if (c.family() != Family.V4 || !c.run().resolveFailed() || route == null
                || !k.effectiveOr(shim, "arp_filter")) {
            return List.of();
        }
        String src = k.conf4(shim, "arp_filter") != 0 ? Sysctl.conf4(shim, "arp_filter") + "=1"
                : Sysctl.conf4("all", "arp_filter") + "=1";
        RouteLookup get = k.hostToContainer().get(Family.V4);
        return List.of(new Diagnosis(cause(), Family.V4, src + ": the host answers ARP on " + shim + " only if its "
                + "route back to the asker (" + c.ctr() + ") leaves through " + shim + "; it leaves through "
                + (get == null ? "no interface" : get.dev()), List.of(src, RouteLookup.describe(get, c.ctr())),
                Evidence.arrivedUnanswered(c.run().exchanges().containerResolve()), List.of(), List.of(),
                List.of("cured by the fix of " + route.code() + ": with the container routed through " + shim
                        + " arp_filter answers there, and it stays on"), route));
    }
}
