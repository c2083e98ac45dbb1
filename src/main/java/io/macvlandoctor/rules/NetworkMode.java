package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.MacvlanMode;
import java.util.List;

/** network-mode: the container's own macvlan is not in bridge mode, so no shim can reach it. */
final class NetworkMode implements Rule {
    @Override
    public Cause cause() {
        return Cause.NETWORK_MODE;
    }

    @Override
    public Stage stage() {
        return Stage.DOCKER;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        Link i = c.k().containerIface();
        if (i == null || i.macvlanMode() == null || MacvlanMode.BRIDGE.id().equals(i.macvlanMode())) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), null, "the container's " + i.name() + " is a macvlan in "
                + i.macvlanMode() + " mode: only bridge-mode children of one parent reach each other, whatever the "
                + "shim", List.of(Evidence.linkFact(i)), Evidence.unansweredAll(c.ctx()), List.of(),
                List.of("Docker: recreate the network in bridge mode (the default): docker network create -d macvlan "
                        + "-o macvlan_mode=bridge -o parent=" + c.parent() + " ..., and reconnect the container",
                        "elsewhere: recreate the container's interface as a bridge-mode macvlan of " + c.parent())));
    }
}
