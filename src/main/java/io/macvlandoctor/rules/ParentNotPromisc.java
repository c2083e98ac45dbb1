package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.LanChecks;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.ParentNic;
import io.macvlandoctor.model.change.LinkPromisc;
import java.util.ArrayList;
import java.util.List;

/**
 * parent-not-promisc: the parent is a hypervisor's virtual NIC, nothing holds it promiscuous, and the answers for
 * the container's MAC never reach it (while the host's own MAC gets answers): the virtual NIC filters what it is
 * not told to take. The article's `ip link set PARENT promisc on` is the host's half of the fix; the virtual
 * switch must also let the frames through (a note per hypervisor).
 */
final class ParentNotPromisc implements Rule {
    @Override
    public Cause cause() {
        return Cause.PARENT_NOT_PROMISC;
    }

    @Override
    public Stage stage() {
        return Stage.LAN;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        ParentNic n = c.k().parentNic();
        List<LanChecks.Peer> lost = Lan.lost(c);
        if (!n.virtual() || n.promisc() || n.promiscuity() > 0 || lost.isEmpty()
                || lost.stream().noneMatch(LanChecks::hostAnswered)) {
            return List.of();
        }
        List<String> notes = new ArrayList<>(List.of("promiscuous mode set this way does not survive a reboot: "
                + "add it where the parent is configured (networkd: [Link] Promiscuous=yes; ifupdown: up ip link set "
                + c.parent() + " promisc on)"));
        notes.addAll(Lan.hypervisorNotes(n));
        return List.of(new Diagnosis(cause(), c.family(), "no answer for the container's MAC reaches " + c.parent()
                + ", a " + n.hypervisor() + " virtual NIC (" + n.driver() + ") that nothing holds promiscuous, "
                + "while " + Lan.names(lost) + " answers the host's own MAC", List.of(Lan.nicFact(c)),
                Lan.frames(lost), List.of(new LinkPromisc(c.ns(), c.parent(), true)), notes));
    }
}
