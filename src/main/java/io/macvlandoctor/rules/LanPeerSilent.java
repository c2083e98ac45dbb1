package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.LanChecks;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import java.util.List;

/**
 * lan-peer-silent: the peer answers neither the container nor the host, though both questions left the parent:
 * it is down, elsewhere, or not at that address. Not the container's problem, and no command of this host's.
 */
final class LanPeerSilent implements Rule {
    @Override
    public Cause cause() {
        return Cause.LAN_PEER_SILENT;
    }

    @Override
    public Stage stage() {
        return Stage.LAN;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        List<LanChecks.Peer> silent = Lan.lost(c).stream().filter(p -> p.hostAsk() != null
                && !p.hostAsk().requests().isEmpty() && !LanChecks.hostAnswered(p)).toList();
        if (silent.isEmpty()) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), c.family(), Lan.names(silent) + " answers neither the container nor "
                + "the host: both questions left " + c.parent() + " and nothing came back", List.of(Lan.nicFact(c)),
                Lan.frames(silent), List.of(), List.of("check that the peer is up at that address (it is the "
                        + "container's default gateway unless given with --lan-ip), and that " + c.parent()
                        + " has a carrier to it")));
    }
}
