package io.macvlandoctor.docker;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.ToolException;
import io.macvlandoctor.model.Diagnosis;

/**
 * A Docker-level cause found while resolving the target (the container is on no macvlan network, the network's
 * parent does not exist): there is nothing to probe, but there is a diagnosis. Its fix needs decisions (which
 * network, which interface), so it is written as notes, never as commands. Exit 1, like a failed check.
 */
public final class DockerProblem extends ToolException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnosis diagnosis;

    public DockerProblem(Diagnosis d) {
        super(ExitCodes.CHECK_FAILED, d.cause().code() + ": " + d.summary());
        this.diagnosis = d;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }
}
