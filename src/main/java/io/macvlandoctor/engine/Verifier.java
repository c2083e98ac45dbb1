package io.macvlandoctor.engine;

import io.macvlandoctor.Trace;
import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.Diagnoser;
import io.macvlandoctor.analysis.FactLines;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.docker.DockerProblem;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.system.FactsReader;
import io.macvlandoctor.system.HostFactsReader;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.TargetResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * verify: resolve the target, probe with every capture point open, correlate, check. With setup: probe first to
 * show the isolation, apply the fix through the journal, probe again, and undo the run's changes unless kept.
 */
public final class Verifier {
    /**
     * @param alwaysFacts gather the kernel facts even when every check passed (diagnose shows them)
     */
    public record Options(Duration probeTimeout, boolean flush, boolean setup, boolean keep, boolean alwaysFacts) {
    }

    /** One round of probes, analysed. */
    public record Round(PathFacts facts, Phase phase, ProbeExchanges exchanges, List<CheckResult> checks,
                        List<Diagnosis> diagnosis, List<String> systemFacts, HostFacts hostFacts) {
        Report report(String command) {
            return new Report(command, facts, List.of(phase), checks, diagnosis, List.of(), systemFacts, hostFacts);
        }

        CheckResult check(String id) {
            return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        }
    }

    private final ProcessRunner runner;
    private final Consumer<String> warn;

    /** @param warn where warnings go (stderr): e.g. changes left behind by a killed run */
    public Verifier(ProcessRunner runner, Consumer<String> warn) {
        this.runner = runner;
        this.warn = warn;
    }

    public Report verify(TargetSpec spec, Options o, String command) throws InterruptedException {
        TargetResolver resolver = new TargetResolver(runner);
        Target t;
        try {
            t = resolver.resolve(spec);
        } catch (DockerProblem e) {
            // Nothing to probe: the diagnosis is all there is.
            return new Report(command, null, List.of(), List.of(), List.of(e.diagnosis()), List.of(), List.of(), null);
        }
        Trace.mark("target resolved");
        try (Journal journal = Journal.forHost(t.hostNs(), runner, warn)) {
            Consumer<Change> flush = o.flush() ? journal::apply : null;
            if (!o.setup()) {
                return round("probes", t, o, flush).report(command);
            }
            List<String> setupLog = new ArrayList<>();
            Round before;
            Round after;
            try {
                before = round("before the fix", t, o, flush);
                SetupPlanner.Plan plan = SetupPlanner.plan(t, new Ip(t.hostNs(), runner).routes(), "bridge", null);
                if (plan.nothingToDo()) {
                    setupLog.add("nothing to do: the fix is already in place");
                } else {
                    journal.applyAll(plan.changes(), c -> setupLog.add("+ " + c.command()));
                }
                Target fixed = resolver.resolve(spec.withShim(t.shimName()));
                after = round("after the fix", fixed, o, flush);
            } finally {
                if (o.keep()) {
                    setupLog.add("kept (--keep): undo with teardown");
                } else {
                    journal.undoOwnRun().stream().map(l -> "- " + l).forEach(setupLog::add);
                }
            }
            List<CheckResult> checks = new ArrayList<>();
            checks.add(PathChecks.isolation(before.check(PathChecks.HOST_ICMP), before.facts()));
            checks.addAll(after.checks());
            return new Report(command, after.facts(), List.of(before.phase(), after.phase()), checks,
                    after.diagnosis(), setupLog, after.systemFacts(), after.hostFacts());
        }
    }

    /** Probes once and analyses what was seen. */
    public Round round(String title, Target t, Options o, Consumer<Change> flush) throws InterruptedException {
        PathFacts facts = new FactsReader(runner).read(t, ProbeRun.roles(ProbeRun.capturePoints(t)));
        Trace.mark("facts read");
        ProbeRun.Result r = ProbeRun.run(t, facts, ProbeIds.random(), o.probeTimeout(), flush);
        Trace.mark("probes done");
        Set<Role> captured = EnumSet.noneOf(Role.class);
        r.points().forEach(p -> captured.add(p.role()));
        return judge(title, t, facts.withCaptured(captured), r.ids(), r.outcome(), r.frames(), r.stats(), o, Set.of());
    }

    /**
     * What one container's frames and sockets say: its exchanges, the checks and, when one failed (or diagnose
     * asks), the kernel's facts and the diagnosis.
     *
     * @param others the addresses of containers verified in the same run (see Diagnoser)
     */
    Round judge(String title, Target t, PathFacts facts, ProbeIds ids, ProbeOutcome outcome, List<Frame> frames,
                List<CaptureStats> stats, Options o, Set<Integer> others) {
        ProbeExchanges ex = ProbeExchanges.select(facts, ids, Correlator.correlate(frames));
        List<CheckResult> checks = PathChecks.evaluate(facts, ex, outcome);
        List<Diagnosis> diagnosis = List.of();
        List<String> systemFacts = List.of();
        HostFacts h = null;
        if (o.alwaysFacts() || !PathChecks.passed(checks)) {
            h = new HostFactsReader(runner).read(t, facts.hostIp());
            diagnosis = Diagnoser.diagnose(h, ex, checks, others);
            systemFacts = FactLines.of(h);
        }
        return new Round(facts, new Phase(title, ex.labelled(), stats, frames, outcome), ex, checks, diagnosis,
                systemFacts, h);
    }
}
