package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.ProxyEntry;
import io.macvlandoctor.model.change.SysctlSet;
import java.util.ArrayList;
import java.util.List;

/**
 * ipv6-disabled: disable_ipv6 on the shim (a hardening setting, or "all" set before the shim was made): it has no
 * link-local address, sends no solicitation and answers none, and the kernel removed its proxy entries. Enabling it
 * on the shim alone changes no other interface.
 */
final class Ipv6Disabled implements Rule {
    @Override
    public Cause cause() {
        return Cause.IPV6_DISABLED;
    }

    /** Before the route rules: disabling IPv6 took the shim's IPv6 routes too, which no-route would name. */
    @Override
    public Stage stage() {
        return Stage.ROUTE;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        String shim = c.shim();
        String name = Sysctl.conf6(shim, "disable_ipv6");
        int own = c.k().sysctl(name);
        if (c.family() != Family.V6 || own == 0 || !(c.run().hostFailed() || c.run().containerFailed())) {
            return List.of();
        }
        List<String> facts = new ArrayList<>(List.of(name + "=" + own, Sysctl.conf6("all", "disable_ipv6") + "="
                + c.k().sysctl(Sysctl.conf6("all", "disable_ipv6")), Sysctl.conf6("default", "disable_ipv6") + "="
                + c.k().sysctl(Sysctl.conf6("default", "disable_ipv6"))));
        List<Change> fix = new ArrayList<>();
        fix.add(new SysctlSet(c.ns(), name, 0, own));
        // Disabling IPv6 on a link drops its IPv6 routes and proxy entries (addrconf_ifdown): they come back after.
        boolean routed = c.k().mainRoutes().stream().anyMatch(r -> r.isHostRouteTo(c.ctr()) && shim.equals(r.dev()));
        if (!routed) {
            fix.add(Fixes.route(c, Family.V6, shim, false));
        }
        if (c.host() != null && !Fixes.hasProxy(c.k(), c.host(), shim)) {
            fix.add(new ProxyEntry(c.ns(), c.host(), shim));
        }
        List<KernelEvent> drops = c.kernel(KernelEvent.Drop.class).stream()
                .filter(d -> d.reason().equals("IPV6DISABLED")).map(d -> (KernelEvent) d).toList();
        List<String> notes = new ArrayList<>(List.of("only the shim's own setting changes; other interfaces keep "
                + "theirs"));
        if (c.k().sysctl(Sysctl.conf6("default", "disable_ipv6")) != 0) {
            notes.add("net.ipv6.conf.default.disable_ipv6=1: a shim made again starts with IPv6 disabled; setup "
                    + "--persist writes the shim's own setting for boot");
        }
        return List.of(new Diagnosis(cause(), Family.V6, name + "=" + own + ": " + shim + " has no IPv6 (no link-local "
                + "address, no neighbour discovery), so the container's IPv6 traffic to the host has nowhere to "
                + "arrive", facts, Evidence.arrivedUnanswered(c.run().exchanges().containerResolve()), drops, fix,
                notes, null));
    }
}
