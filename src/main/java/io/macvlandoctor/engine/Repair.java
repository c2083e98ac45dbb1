package io.macvlandoctor.engine;

import io.macvlandoctor.Signals;
import io.macvlandoctor.Trace;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * diagnose --apply: the diagnosis's fix, the very changes the report printed, made through the journal (each with
 * its undo, so that `teardown` puts the broken state back), then verify again. Refuses when a cause needs a
 * decision off the host (notes but no changes, and no other cause's fix cures it).
 */
public final class Repair {
    /** Before, what was applied, after. */
    public record Result(Report before, List<String> applied, Report after) {
    }

    /** The changes of a report's diagnoses, in order: what --apply makes. */
    public static List<Change> changes(Report b) {
        List<Change> fix = new ArrayList<>();
        for (Diagnosis d : b.diagnosis()) {
            boolean cured = d.curedBy() != null && b.diagnosis().stream().anyMatch(x -> x.cause() == d.curedBy()
                    && !x.fix().isEmpty());
            if (d.fix().isEmpty() && !cured) {
                throw new UsageException("refusing to apply: " + d.cause().code() + " has no commands to run ("
                        + (d.notes().isEmpty() ? d.summary() : d.notes().get(0)) + ")");
            }
            fix.addAll(d.fix());
        }
        return fix;
    }

    private final ProcessRunner runner;
    private final Consumer<String> warn;

    public Repair(ProcessRunner runner, Consumer<String> warn) {
        this.runner = runner;
        this.warn = warn;
    }

    /**
     * @param confirm shown the commands, says whether to go on (the terminal's question, or --yes)
     * @param progress each command as it is made
     */
    public Result apply(TargetSpec spec, Verifier.Options o, Predicate<List<String>> confirm,
                        Consumer<String> progress) throws InterruptedException {
        Verifier v = new Verifier(runner, warn);
        List<Report> before = v.verify(spec, o, "diagnose");
        if (before.size() != 1) {
            throw new UsageException("diagnose --apply works on one container: name it with --container-netns");
        }
        Report b = before.get(0);
        if (b.diagnosis().isEmpty()) {
            return new Result(b, List.of(), null);
        }
        List<Change> changes = changes(b);
        if (!confirm.test(changes.stream().map(Change::command).toList())) {
            throw new UsageException("nothing applied (not confirmed)");
        }
        Target t = new TargetResolver(runner).resolve(spec);
        List<String> applied = new ArrayList<>();
        String run;
        try (Journal journal = Journal.forHost(t.hostNs(), runner, warn)) {
            run = journal.runId();
            journal.applyAll(changes, c -> {
                applied.add(c.command());
                progress.accept(c.command());
            });
        }
        Trace.mark("fix applied");
        try {
            Report after = v.verify(spec, new Verifier.Options(o.probeTimeout(), o.flush(), false, false, true,
                    o.trace(), o.lan(), o.lanIps()), "verify").get(0);
            return new Result(b, applied, after);
        } catch (InterruptedException | RuntimeException e) {
            // A fix is kept once its verification is reported; stopped before that, it goes as it came.
            if (Signals.received() != null || e instanceof InterruptedException) {
                try (Journal journal = Journal.forHost(t.hostNs(), runner, warn)) {
                    journal.undo(x -> x.run().equals(run));
                }
            }
            throw e;
        }
    }
}
