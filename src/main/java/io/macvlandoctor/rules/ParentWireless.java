package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import java.util.List;

/**
 * parent-wireless: the parent is a Wi-Fi interface. An access point (and the station's own driver) accepts frames
 * from the one MAC it associated with: the container's never get through. Notes only: nothing on the host makes
 * Wi-Fi carry another MAC.
 */
final class ParentWireless implements Rule {
    @Override
    public Cause cause() {
        return Cause.PARENT_WIRELESS;
    }

    @Override
    public Stage stage() {
        return Stage.LAN;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        if (!c.k().parentNic().wireless()) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), c.family(), c.parent() + " is a Wi-Fi interface: the access point "
                + "drops the frames of the container's MAC", List.of(Lan.nicFact(c)), Lan.frames(Lan.lost(c)),
                List.of(), List.of("Wi-Fi associates one MAC: use ipvlan in L2 mode (every container shares the "
                        + "parent's MAC), or a bridge network with published ports; 4addr (WDS) mode on both the "
                        + "station and the access point is the only way to bridge other MACs over Wi-Fi")));
    }
}
