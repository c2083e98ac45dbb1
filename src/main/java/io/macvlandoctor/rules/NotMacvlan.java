package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.DockerNetwork;
import java.util.List;
import java.util.stream.Collectors;

/**
 * not-macvlan: the Docker container is on no macvlan network. Found while the target is resolved, before anything
 * can be probed: Docker asks this rule for the diagnosis.
 */
public final class NotMacvlan implements Rule {
    @Override
    public Cause cause() {
        return Cause.NOT_MACVLAN;
    }

    @Override
    public Stage stage() {
        return Stage.DOCKER;
    }

    /** Known only to target resolution: see {@link #of}. */
    @Override
    public List<Diagnosis> diagnose(Case c) {
        return List.of();
    }

    public static Diagnosis of(String container, List<DockerNetwork> nets) {
        return new Diagnosis(Cause.NOT_MACVLAN, null, "container '" + container + "' is not on a macvlan network (it "
                + "is on: " + names(nets) + "): the host-to-container fix of macvlan does not apply to it",
                List.of("networks of " + container + ": " + names(nets)), List.of(), List.of(),
                List.of("connect it to a macvlan network if it should be on one: docker network connect NETWORK "
                        + container));
    }

    /** "web (macvlan), bridge (bridge)", or none. */
    public static String names(List<DockerNetwork> l) {
        return l.isEmpty() ? "none" : l.stream().map(n -> n.name() + " (" + n.driver() + ")")
                .collect(Collectors.joining(", "));
    }
}
