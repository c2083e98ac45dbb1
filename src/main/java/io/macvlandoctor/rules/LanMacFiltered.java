package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.LanChecks;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import java.util.List;

/**
 * lan-mac-filtered: the container's questions leave the parent and nothing comes back, while the host's own MAC
 * gets answers from the same peer: something beyond the host (the virtual switch, the hypervisor, the cloud's
 * network, a switch port's security) drops the MAC it did not assign. Notes only, naming what to change there.
 */
final class LanMacFiltered implements Rule {
    @Override
    public Cause cause() {
        return Cause.LAN_MAC_FILTERED;
    }

    @Override
    public Stage stage() {
        return Stage.LAN;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        if (c.found(Cause.PARENT_WIRELESS, Cause.BOND_MAC_REWRITE, Cause.PARENT_NOT_PROMISC)) {
            return List.of();
        }
        List<LanChecks.Peer> lost = Lan.lost(c).stream().filter(LanChecks::hostAnswered).toList();
        if (lost.isEmpty()) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), c.family(), Lan.names(lost) + " answers the host's own MAC but "
                + "not the container's: the container's question left " + c.parent() + " and nothing came back",
                List.of(Lan.nicFact(c)), Lan.frames(lost), List.of(), Lan.hypervisorNotes(c.k().parentNic())));
    }

    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        List<LanChecks.Peer> lost = Lan.lost(c.run()).stream().filter(LanChecks::hostAnswered).toList();
        if (lost.isEmpty()) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), c.run().family(), Lan.names(lost) + " answered the host's MAC but "
                + "not the container's", List.of(), Lan.frames(lost), List.of(), List.of("the virtual switch, the "
                + "hypervisor or the switch port drops the container's MAC: analyze --facts FILE names the parent's "
                + "driver and what to change")));
    }
}
