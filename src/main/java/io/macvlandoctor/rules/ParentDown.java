package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkState;
import java.util.ArrayList;
import java.util.List;

/** parent-down: the parent is down, has no carrier, or its own lower device is down. */
final class ParentDown implements Rule {
    @Override
    public Cause cause() {
        return Cause.PARENT_DOWN;
    }

    @Override
    public Stage stage() {
        return Stage.ENDS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        Link p = c.k().parent();
        boolean admin = !p.adminUp();
        if (!admin && !p.carrierLost()) {
            return List.of();
        }
        List<String> facts = new ArrayList<>(List.of(Evidence.linkFact(p)));
        List<Change> fix = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String why;
        Link lower = p.parentIndex() > 0 && !p.parentElsewhere() ? c.k().hostLink(p.parentIndex()) : null;
        if (admin) {
            why = "down";
            fix.add(new LinkState(c.ns(), p.name(), true));
        } else if ("LOWERLAYERDOWN".equals(p.operState()) && lower != null) {
            why = "up, but its lower device " + lower.name() + " is " + (lower.adminUp() ? "without carrier" : "down");
            facts.add(Evidence.linkFact(lower));
            if (!lower.adminUp()) {
                fix.add(new LinkState(c.ns(), lower.name(), true));
            } else {
                notes.add("connect " + lower.name() + " (it has no carrier)");
            }
        } else {
            why = "up but has no carrier";
            notes.add("connect " + p.name() + " (cable, switch port, VM NIC), or choose an interface that has a carrier");
        }
        notes.add("the rest of the path was not judged: the shim and the container have no lower device to meet on");
        return List.of(new Diagnosis(cause(), null, p.name() + " is " + why + ": its macvlan children (the container "
                + "and the shim) have no lower device to meet on", facts, List.of(), fix, notes));
    }
}
