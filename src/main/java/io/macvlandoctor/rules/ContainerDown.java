package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.LinkState;
import java.util.ArrayList;
import java.util.List;

/** container-down: the container's interface is down, or gone with its namespace. */
final class ContainerDown implements Rule {
    @Override
    public Cause cause() {
        return Cause.CONTAINER_DOWN;
    }

    @Override
    public Stage stage() {
        return Stage.ENDS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        Link i = c.k().containerIface();
        if (i != null && i.adminUp()) {
            return List.of();
        }
        Netns cns = c.k().containerNs();
        String what = i == null ? "the container's interface is gone (the container stopped, or its namespace was "
                + "removed)" : i.name() + " in the container is down";
        List<Change> fix = i == null || cns == null ? List.of() : List.of(new LinkState(cns, i.name(), true));
        List<String> notes = new ArrayList<>();
        if (fix.isEmpty()) {
            notes.add("start the container again (docker start NAME)");
        } else {
            notes.add("routes through " + i.name() + " that the kernel dropped when it went down (a default route) "
                    + "come back only with the container's own network setup");
        }
        notes.add("the rest of the path was not judged: nothing reaches a container whose interface is down");
        return List.of(new Diagnosis(cause(), null, what, List.of(i == null ? "no interface in "
                + (cns == null ? "the container" : cns.label()) : Evidence.linkFact(i)), List.of(), fix, notes));
    }
}
