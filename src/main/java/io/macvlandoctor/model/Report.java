package io.macvlandoctor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run found, for the text, JSON and JUnit renderers.
 *
 * @param topology null when there was nothing to probe (a Docker-level cause)
 * @param phases the probe rounds in order ("before the fix", "after the fix", or one)
 * @param setup what was changed and undone, one line each (empty without --setup)
 * @param notes what the reader should know about the run (how the facts were obtained, what was inferred)
 * @param kernel the kernel facts behind the diagnosis (null when not gathered)
 * @param label what tells this container from the others of a many-container run (null for a single one)
 */
public record Report(String command, Topology topology, List<Phase> phases, List<CheckResult> checks,
                     List<Diagnosis> diagnosis, List<String> setup, List<String> notes, KernelFacts kernel,
                     String label) {
    public Report {
        phases = List.copyOf(phases);
        checks = List.copyOf(checks);
        diagnosis = List.copyOf(diagnosis);
        setup = List.copyOf(setup);
        notes = List.copyOf(notes);
    }

    /** A run that found a cause before anything could be probed (a Docker-level problem). */
    public static Report unprobed(String command, Diagnosis d) {
        return new Report(command, null, List.of(), List.of(), List.of(d), List.of(), List.of(), null, null);
    }

    public Report withLabel(String l) {
        return new Report(command, topology, phases, checks, diagnosis, setup, notes, kernel, l);
    }

    public Verdict verdict() {
        if (checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL) || checks.isEmpty() && !diagnosis.isEmpty()) {
            return Verdict.FAIL;
        }
        if (checks.isEmpty() || checks.stream().anyMatch(c -> c.status() == CheckStatus.UNPROVEN)) {
            return Verdict.INCONCLUSIVE;
        }
        return Verdict.PASS;
    }

    /** Why the verdict is not a pass, one line each: failed and unproven checks, or the Docker-level cause. */
    public List<String> reasons() {
        List<String> l = new ArrayList<>();
        for (CheckResult c : checks) {
            if (c.status() == CheckStatus.FAIL || c.status() == CheckStatus.UNPROVEN) {
                l.add(c.id().id() + " " + (c.status() == CheckStatus.FAIL ? "failed" : "unproven") + ": "
                        + c.summary());
            }
        }
        if (checks.isEmpty()) {
            diagnosis.forEach(d -> l.add(d.cause().code() + ": " + d.summary()));
            if (diagnosis.isEmpty()) {
                l.add("no check could be made");
            }
        }
        return l;
    }

    public long count(CheckStatus s) {
        return checks.stream().filter(c -> c.status() == s).count();
    }

    public Phase lastPhase() {
        return phases.isEmpty() ? null : phases.get(phases.size() - 1);
    }
}
