package io.macvlandoctor.model;

import io.macvlandoctor.model.change.Change;
import java.util.List;

/**
 * A named cause of a broken path with what shows it, the changes that fix it and what else to know.
 *
 * @param family the address family it concerns; null for both (a link down, a Docker network)
 * @param facts the kernel facts that show it, one line each
 * @param frames the frames that show it
 * @param kernel the kernel's own decisions during the probes that show it
 * @param fix the changes that fix it, in order: printed as commands that run as printed in a root shell on the
 *     host, and made as they are by diagnose --apply (empty when the fix is off the host or needs a decision)
 * @param notes everything else: why, alternatives, what to do off the host
 * @param curedBy the cause whose fix also cures this one (a sysctl that only blocks while the route is wrong), so
 *     that this one needs no change of its own; null when it needs its own fix
 */
public record Diagnosis(Cause cause, Family family, String summary, List<String> facts, List<Frame> frames,
                        List<KernelEvent> kernel, List<Change> fix, List<String> notes, Cause curedBy) {
    public Diagnosis(Cause cause, Family family, String summary, List<String> facts, List<Frame> frames,
                     List<Change> fix, List<String> notes) {
        this(cause, family, summary, facts, frames, List.of(), fix, notes, null);
    }

    public Diagnosis {
        facts = List.copyOf(facts);
        frames = List.copyOf(frames);
        kernel = List.copyOf(kernel);
        fix = List.copyOf(fix);
        notes = List.copyOf(notes);
    }

    /** The fix as the commands a user types, in order. */
    public List<String> fixCommands() {
        return fix.stream().map(Change::command).toList();
    }

    /** The same diagnosis, with the kernel's decisions that show it. */
    public Diagnosis withKernel(List<KernelEvent> events) {
        return new Diagnosis(cause, family, summary, facts, frames, events, fix, notes, curedBy);
    }
}
