package io.macvlandoctor.model;

import java.util.List;

/**
 * A named cause of a broken path with what shows it, the commands that fix it and what else to know.
 *
 * @param family the address family it concerns; null for both (a link down, a Docker network)
 * @param facts the kernel facts that show it, one line each
 * @param frames the frames that show it
 * @param fix commands that run as printed in a root shell on the host, in order (empty when the fix is off the host
 *     or needs a decision)
 * @param notes everything else: why, alternatives, what to do off the host
 * @param curedBy the cause whose fix also cures this one (a sysctl that only blocks while the route is wrong), so
 *     that this one needs no change of its own; null when it needs its own fix
 */
public record Diagnosis(Cause cause, Family family, String summary, List<String> facts, List<Frame> frames,
                        List<String> fix, List<String> notes, Cause curedBy) {
    public Diagnosis(Cause cause, Family family, String summary, List<String> facts, List<Frame> frames,
                     List<String> fix, List<String> notes) {
        this(cause, family, summary, facts, frames, fix, notes, null);
    }

    public Diagnosis {
        facts = List.copyOf(facts);
        frames = List.copyOf(frames);
        fix = List.copyOf(fix);
        notes = List.copyOf(notes);
    }
}
