package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Role.SHIM;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.SysctlSet;
import java.util.ArrayList;
import java.util.List;

/**
 * arp-ignore: arp_ignore of 1, 2 or 8 makes the host answer ARP only for addresses on the receiving interface, and
 * the shim has none: the container's who-has for the parent's address goes unanswered (no ARP flux).
 */
final class ArpIgnore implements Rule {
    @Override
    public Cause cause() {
        return Cause.ARP_IGNORE;
    }

    @Override
    public Stage stage() {
        return Stage.SETTINGS;
    }

    /** arp_ignore values that stop the shim's flux: 1 and 2 (address on the receiving interface), 8 (never). */
    static boolean blocks(int v) {
        return v == 1 || v == 2 || v == 8;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        KernelFacts k = c.k();
        String shim = c.shim();
        int eff = k.effectiveMax(shim, "arp_ignore");
        IpAddress host = k.hostIp(Family.V4);
        if (c.family() != Family.V4 || !c.run().resolveFailed() || !blocks(eff) || k.shim().hasAddress(host)) {
            return List.of();
        }
        String src = k.source(shim, "arp_ignore");
        int all = k.conf4("all", "arp_ignore");
        List<Change> fix = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (blocks(all)) {
            // The kernel uses the larger of all and the interface's own value: only lowering all unblocks the shim.
            // Every other interface gets the old value of its own first, so that none of them answers differently
            // even for a moment (loopback does no ARP).
            for (Link l : k.hostLinks()) {
                int own = k.conf4(l.name(), "arp_ignore");
                if (!l.name().equals(shim) && !l.name().equals("lo") && own < all) {
                    fix.add(new SysctlSet(c.ns(), Sysctl.conf4(l.name(), "arp_ignore"), all, own));
                }
            }
            fix.add(new SysctlSet(c.ns(), Sysctl.conf4("all", "arp_ignore"), 0, all));
            notes.add("only net.ipv4.conf.all.arp_ignore can unblock the shim (the kernel uses the larger of all and "
                    + "the interface's value); every other interface keeps arp_ignore=" + all + " through its own "
                    + "setting. Interfaces created later get net.ipv4.conf.default.arp_ignore: set them one by one");
        }
        int own = k.conf4(shim, "arp_ignore");
        if (blocks(own)) {
            fix.add(new SysctlSet(c.ns(), Sysctl.conf4(shim, "arp_ignore"), 0, own));
        }
        notes.add("alternatively give the shim an address of its own (setup --shim-ip) and have the containers talk "
                + "to that address");
        return List.of(new Diagnosis(cause(), Family.V4, src + ": the host answers ARP only for addresses on the "
                + "receiving interface, and " + shim + " has none, so the container's who-has " + host
                + " goes unanswered", List.of(src + " (effective on " + shim + ": " + eff + ")", shim
                        + " has no IPv4 address"), Evidence.arrivedUnanswered(c.run().exchanges().containerResolve()),
                fix, notes));
    }

    /**
     * The container's resolution reached the shim and went unanswered while the host reaches the container through
     * it: the host does not answer on the shim (for IPv4: arp_ignore; see NdpProxy for IPv6).
     */
    static List<io.macvlandoctor.model.Frame> unansweredOnShim(FramesCase c) {
        var cr = c.run().exchanges().containerResolve();
        boolean reached = cr != null && cr.requestSeenAt(SHIM);
        if (!c.run().resolveFailed() || !reached || !c.run().passed(CheckId.Kind.HOST_ICMP)) {
            return List.of();
        }
        return cr.requests().stream().filter(x -> x.point().role() == SHIM).toList();
    }

    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        var ev = unansweredOnShim(c);
        if (ev.isEmpty() || c.run().family() != Family.V4) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), Family.V4, "the container's who-has " + c.host() + " reached "
                + c.shim() + " and went unanswered while the host reaches the container through the shim: the host "
                + "answers ARP only for addresses on the receiving interface (arp_ignore of 1 or more; arp_filter and "
                + "rp_filter would need a wrong route, which the working echo rules out)", List.of(), ev, List.of(),
                List.of("on the host: macvlan-doctor diagnose prints the exact commands")));
    }
}
