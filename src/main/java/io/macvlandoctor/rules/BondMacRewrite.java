package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import java.util.List;

/**
 * bond-mac-rewrite: the parent is a bond in balance-tlb or balance-alb mode, which sends frames with a slave's MAC
 * (and answers ARP for the container's address with one): the LAN learns another MAC for the container. Notes
 * only: changing a bond's mode takes it down, which is the operator's call on a production host.
 */
final class BondMacRewrite implements Rule {
    @Override
    public Cause cause() {
        return Cause.BOND_MAC_REWRITE;
    }

    @Override
    public Stage stage() {
        return Stage.LAN;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        if (!c.k().parentNic().rewritesMacs()) {
            return List.of();
        }
        String mode = c.k().parentNic().bondMode();
        boolean rewritten = c.run().lan().checks().stream().anyMatch(x -> x.id().kind() == CheckId.Kind.LAN_SRC_MAC
                && x.status() == CheckStatus.FAIL);
        return List.of(new Diagnosis(cause(), c.family(), c.parent() + " is a bond in " + mode + " mode: it sends "
                + "the container's frames " + (rewritten ? "(seen) " : "") + "with a slave's MAC, and the LAN "
                + "answers that MAC", List.of(Lan.nicFact(c)), Lan.frames(c.run().lan().peers()), List.of(),
                List.of("use a bond mode that keeps source MACs: active-backup or 802.3ad (LACP, with the switch), "
                        + "e.g. ip link set " + c.parent() + " down; ip link set " + c.parent()
                        + " type bond mode active-backup; ip link set " + c.parent() + " up (the slaves must be "
                        + "released first; the host's own traffic stops meanwhile; make it permanent where the bond "
                        + "is configured)")));
    }
}
