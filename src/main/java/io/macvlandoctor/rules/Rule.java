package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import java.util.List;

/**
 * One cause of a broken path: what shows it (the kernel's facts and decisions, and the frames), the stage it runs
 * in, its fix as typed changes and, for captures without facts, what the frames alone prove. One class per cause,
 * listed in {@link Rules#ALL}; docs/troubleshooting.md has its section.
 */
public interface Rule {
    Cause cause();

    Stage stage();

    /** The diagnoses that hold, from the kernel's facts (per-family stages: for the failed family c.run()). */
    List<Diagnosis> diagnose(Case c);

    /** What the frames alone prove, for captures without facts (analyze): no command, notes say what to run. */
    default List<Diagnosis> fromFrames(FramesCase c) {
        return List.of();
    }

    /** Reported whether or not the path works (a hazard of the setup). */
    default List<Diagnosis> hazards(Context c) {
        return List.of();
    }
}
