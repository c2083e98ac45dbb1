package io.macvlandoctor.engine;

import io.macvlandoctor.Trace;
import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.Diagnoser;
import io.macvlandoctor.analysis.IpamHazards;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.docker.DockerProblem;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.probe.NeighbourProbe;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.KernelReader;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * verify and diagnose: resolve the target, probe with every capture point open, correlate, check, and diagnose what
 * failed. With setup: probe first to show the isolation, apply the fix through the journal, probe again, and undo
 * the run's changes unless kept. Several containers of one host (a lab's) are checked together (MultiVerifier).
 */
public final class Verifier {
    /**
     * @param alwaysFacts gather the kernel facts even when every check passed (diagnose shows them)
     */
    public record Options(Duration probeTimeout, boolean flush, boolean setup, boolean keep, boolean alwaysFacts) {
    }

    /** One round of probes, analysed. */
    public record Round(Topology topology, Phase phase, List<ProbeExchanges> exchanges, List<CheckResult> checks,
                        List<Diagnosis> diagnosis, KernelFacts kernel) {
        Report report(String command, String label) {
            return new Report(command, topology, List.of(phase), checks, diagnosis, List.of(), List.of(), kernel,
                    label);
        }

        CheckResult check(CheckId id) {
            return checks.stream().filter(c -> c.id() == id).findFirst().orElseThrow();
        }

        ProbeExchanges exchanges(Family f) {
            return exchanges.stream().filter(e -> e.family() == f).findFirst().orElseThrow();
        }
    }

    private final ProcessRunner runner;
    private final Consumer<String> warn;

    /** @param warn where warnings go (stderr): e.g. changes left behind by a killed run */
    public Verifier(ProcessRunner runner, Consumer<String> warn) {
        this.runner = runner;
        this.warn = warn;
    }

    /** One report per container the options name (a lab's several containers are checked in one run). */
    public List<Report> verify(TargetSpec spec, Options o, String command) throws InterruptedException {
        List<Target> targets;
        Trace.mark("command parsed");
        try {
            targets = new TargetResolver(runner).resolveAll(spec);
        } catch (DockerProblem e) {
            // Nothing to probe: the diagnosis is all there is.
            return List.of(Report.unprobed(command, e.diagnosis()));
        }
        Trace.mark("target resolved");
        if (targets.size() > 1) {
            if (o.setup()) {
                throw new io.macvlandoctor.UsageException(command + " --setup works on one container: name it with "
                        + "--container-netns " + targets.get(0).containerNs().ref() + " (or another mvd-NAME-ctrN)");
            }
            return new MultiVerifier(runner, warn, this).verify(targets, o, command);
        }
        return List.of(verifyOne(spec, targets.get(0), o, command));
    }

    private Report verifyOne(TargetSpec spec, Target t, Options o, String command) throws InterruptedException {
        try (Journal journal = Journal.forHost(t.hostNs(), runner, warn)) {
            Consumer<Change> flush = o.flush() ? journal::apply : null;
            if (!o.setup()) {
                return round("probes", t, o, flush).report(command, null);
            }
            List<String> setupLog = new ArrayList<>();
            Round before;
            Round after;
            try {
                before = round("before the fix", t, o, flush);
                Setup setup = new Setup(runner);
                SetupPlanner.Plan plan = setup.plan(t, Setup.Request.DEFAULT);
                if (plan.nothingToDo()) {
                    setupLog.add("nothing to do: the fix is already in place");
                } else {
                    setup.apply(journal, plan, c -> setupLog.add("+ " + c.command()));
                }
                Target fixed = new TargetResolver(runner).resolve(spec.withShim(t.shimName()));
                awaitAddresses(fixed);
                after = round("after the fix", fixed, o, flush);
            } finally {
                if (o.keep()) {
                    setupLog.add("kept (--keep): undo with teardown");
                } else {
                    journal.undoOwnRun().stream().map(l -> "- " + l).forEach(setupLog::add);
                }
            }
            List<CheckResult> checks = new ArrayList<>();
            for (Family f : after.topology().families()) {
                checks.add(PathChecks.isolation(f, before.check(CheckId.of(CheckId.Kind.HOST_ICMP, f)),
                        before.exchanges(f), before.phase().coverage()));
            }
            checks.addAll(after.checks());
            return new Report(command, after.topology(), List.of(before.phase(), after.phase()), checks,
                    after.diagnosis(), setupLog, List.of(), after.kernel(), null);
        }
    }

    /**
     * A shim created a moment ago has an IPv6 link-local address still in duplicate address detection (a second
     * or so): the host cannot solicit the container from it yet. Wait for it, at most 3 s.
     */
    private void awaitAddresses(Target t) throws InterruptedException {
        if (t.shim() == null || !t.families().contains(Family.V6)) {
            return;
        }
        Ip ip = new Ip(t.hostNs(), runner);
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (ip.tentative(t.shim().name()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Probes once and analyses what was seen. */
    public Round round(String title, Target t, Options o, Consumer<Change> flush) throws InterruptedException {
        KernelReader kernel = new KernelReader(runner);
        Topology topo = Topology.of(t, kernel.hostToContainer(t));
        Trace.mark("facts read");
        long timeout = o.probeTimeout().toNanos();
        ProbeRun.Result r = ProbeRun.run(t, topo, ProbeIds.random(), new ProbeRun.Settings(timeout, timeout, flush,
                flush));
        Trace.mark("probes done");
        Set<Role> captured = EnumSet.noneOf(Role.class);
        r.points().forEach(p -> captured.add(p.role()));
        return judge(title, t, topo, coverage(captured, r.stats(), null), r.ids(), r.outcomes(), r.frames(),
                r.stats(), o, Set.of());
    }

    /**
     * What one container's frames cover: the roles captured, those lost during the run, and the kernel's drops, of
     * the host's points and of this container's own point.
     */
    static Coverage coverage(Set<Role> captured, List<CaptureStats> stats, CapturePoint mine) {
        Set<Role> lost = EnumSet.noneOf(Role.class);
        Map<Role, Long> dropped = new EnumMap<>(Role.class);
        for (CaptureStats s : stats) {
            Role r = s.point().role();
            if (r == Role.CONTAINER && mine != null && !s.point().equals(mine)) {
                continue;
            }
            if (s.lost()) {
                lost.add(r);
            }
            long d = Math.max(0, s.dropped()) + Math.max(0, s.ifDropped());
            if (d > 0) {
                dropped.merge(r, d, Long::sum);
            }
        }
        return new Coverage(captured, lost, dropped);
    }

    /**
     * What one container's frames and sockets say: its exchanges, the checks and, when one failed (or diagnose
     * asks), the kernel's facts and the diagnosis.
     *
     * @param others the addresses of containers verified in the same run (see Diagnoser.Context)
     */
    Round judge(String title, Target t, Topology topo, Coverage cov, ProbeIds ids, Map<Family, ProbeOutcome> outcomes,
                List<Frame> frames, List<CaptureStats> stats, Options o, Set<IpAddress> others)
            throws InterruptedException {
        List<Exchange> all = Correlator.correlate(frames);
        List<ProbeExchanges> exchanges = new ArrayList<>();
        List<CheckResult> checks = new ArrayList<>();
        List<Diagnoser.FamilyRun> runs = new ArrayList<>();
        List<Phase.Labelled> labelled = new ArrayList<>();
        for (Topology.Addressing a : topo.addressing()) {
            ProbeExchanges ex = ProbeExchanges.select(a, ids, all);
            List<CheckResult> c = PathChecks.evaluate(topo, a.family(), cov, ex,
                    outcomes.getOrDefault(a.family(), ProbeOutcome.UNKNOWN));
            exchanges.add(ex);
            checks.addAll(c);
            labelled.addAll(ex.labelled());
            runs.add(new Diagnoser.FamilyRun(a.family(), ex, c));
        }
        List<Diagnosis> diagnosis = List.of();
        KernelFacts k = null;
        boolean passed = checks.stream().allMatch(c -> c.status() == CheckStatus.PASS
                || c.status() == CheckStatus.NOT_APPLICABLE);
        if (o.alwaysFacts() || !passed) {
            k = new KernelReader(runner).read(t);
            Trace.mark("kernel facts read");
            diagnosis = diagnose(t, topo, k, runs, others);
        }
        if (t.docker() != null) {
            List<Diagnosis> hazards = IpamHazards.of(t.shim(), t.docker().network());
            if (!hazards.isEmpty()) {
                diagnosis = new ArrayList<>(diagnosis);
                diagnosis.addAll(hazards);
            }
        }
        return new Round(topo, new Phase(title, labelled, stats, frames, outcomes, cov), exchanges, checks,
                diagnosis, k);
    }

    /**
     * The diagnosis, after asking through the shim whether the addresses that a route names, one typo away from
     * the container's, are alive: a live one is a neighbour's route, never a typo.
     */
    List<Diagnosis> diagnose(Target t, Topology topo, KernelFacts k, List<Diagnoser.FamilyRun> runs,
                             Set<IpAddress> others) throws InterruptedException {
        Set<IpAddress> answering = new HashSet<>();
        if (runs.stream().anyMatch(Diagnoser.FamilyRun::anyFailed)) {
            answering.addAll(NeighbourProbe.answering(t, topo, Diagnoser.typoCandidates(k, others),
                    Duration.ofMillis(300)));
        }
        return Diagnoser.diagnose(new Diagnoser.Context(k, runs, others, answering,
                t.docker() == null ? null : t.docker().network()));
    }
}
