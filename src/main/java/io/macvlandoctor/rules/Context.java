package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.KernelFacts;
import java.util.List;
import java.util.Set;

/**
 * Everything the rules look at.
 *
 * @param otherContainers addresses of the other containers verified in the same run: a route to one of them is
 *     theirs, never a typo of this container's
 * @param answering addresses that answered an ARP request or solicitation sent through the shim during the run
 *     (the engine asks the candidates of {@link RouteMismatch#candidates}): live neighbours
 * @param network the container's Docker network, or null
 * @param kernel the kernel's decisions recorded during the probes, matched to them (empty without tracing)
 */
public record Context(KernelFacts k, List<FamilyRun> runs, Set<IpAddress> otherContainers, Set<IpAddress> answering,
                      DockerNetwork network, List<KernelEvent> kernel) {
    public Context {
        runs = List.copyOf(runs);
        otherContainers = Set.copyOf(otherContainers);
        answering = Set.copyOf(answering);
        kernel = List.copyOf(kernel);
    }

    /** Without a Docker network or kernel decisions (a namespace target, a capture brought home). */
    public Context(KernelFacts k, List<FamilyRun> runs, Set<IpAddress> otherContainers, Set<IpAddress> answering) {
        this(k, runs, otherContainers, answering, null, List.of());
    }
}
