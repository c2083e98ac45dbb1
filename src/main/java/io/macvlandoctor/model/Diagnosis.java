package io.macvlandoctor.model;

import java.util.List;

/**
 * A named cause of a broken path (DESIGN §4 cause codes) with what shows it and the commands that fix it.
 *
 * @param facts the system facts that show it, one line each
 * @param frames the frames that show it
 */
public record Diagnosis(String cause, String summary, List<String> facts, List<Frame> frames, List<String> fix) {
    public Diagnosis {
        facts = List.copyOf(facts);
        frames = List.copyOf(frames);
        fix = List.copyOf(fix);
    }
}
