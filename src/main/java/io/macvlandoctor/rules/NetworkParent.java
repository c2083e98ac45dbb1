package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Netns;
import java.util.List;

/**
 * network-parent: the Docker network's parent interface does not exist on the host. Found while the target is
 * resolved: target resolution asks this rule for the diagnosis.
 */
public final class NetworkParent implements Rule {
    @Override
    public Cause cause() {
        return Cause.NETWORK_PARENT;
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

    public static Diagnosis of(DockerNetwork n, Netns hostNs) {
        return new Diagnosis(Cause.NETWORK_PARENT, null, "the parent of Docker network " + n.name() + " ("
                + n.parent() + ") does not exist in " + hostNs.label() + ": recreate the network on an existing "
                + "interface", List.of("docker network " + n.name() + ": -o parent=" + n.parent()), List.of(),
                List.of(), List.of("recreate the network on an existing interface: docker network rm " + n.name()
                        + " (after disconnecting its containers), then docker network create -d macvlan --subnet="
                        + n.subnet() + " -o parent=<interface> " + n.name()));
    }
}
