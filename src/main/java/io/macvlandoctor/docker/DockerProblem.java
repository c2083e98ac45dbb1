package io.macvlandoctor.docker;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.ToolException;
import io.macvlandoctor.model.Diagnosis;
import java.util.List;

/**
 * A Docker-level cause found while resolving the target (the container is on no macvlan network, the network's
 * parent does not exist): there is nothing to probe, but there is a diagnosis. Exit 1, like a failed check.
 */
public final class DockerProblem extends ToolException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnosis diagnosis;

    public DockerProblem(String cause, String summary, List<String> facts, List<String> fix) {
        super(ExitCodes.CHECK_FAILED, cause + ": " + summary);
        this.diagnosis = new Diagnosis(cause, summary, facts, List.of(), fix);
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }
}
