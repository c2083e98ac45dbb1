package io.macvlandoctor.engine;

import io.macvlandoctor.Trace;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.analysis.Judge;
import io.macvlandoctor.analysis.KernelMatch;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.docker.DockerProblem;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.probe.NeighbourProbe;
import io.macvlandoctor.probe.KernelRecording;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.rules.Context;
import io.macvlandoctor.rules.Diagnoser;
import io.macvlandoctor.rules.IpamOverlap;
import io.macvlandoctor.rules.RouteMismatch;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.KernelReader;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.nio.file.Files;
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
     * @param trace record the kernel's decisions while the probes run
     */
    /**
     * @param lan whether the container's path to the LAN is probed too (its gateway, and lanIps)
     * @param lanIps LAN addresses to probe besides the gateway (--lan-ip)
     */
    public record Options(Duration probeTimeout, boolean flush, boolean setup, boolean keep, boolean alwaysFacts,
                          boolean trace, boolean lan, List<IpAddress> lanIps) {
        public Options {
            lanIps = lanIps == null ? List.of() : List.copyOf(lanIps);
        }

        public Options(Duration probeTimeout, boolean flush, boolean setup, boolean keep, boolean alwaysFacts,
                       boolean trace) {
            this(probeTimeout, flush, setup, keep, alwaysFacts, trace, true, List.of());
        }
    }

    /** One round of probes, analysed, with what the reader should know about it (notes). */
    public record Round(Topology topology, Phase phase, List<ProbeExchanges> exchanges, List<CheckResult> checks,
                        List<Diagnosis> diagnosis, KernelFacts kernel, List<String> notes) {
        Report report(String command, String label) {
            return new Report(command, topology, List.of(phase), checks, diagnosis, List.of(), notes, kernel,
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
                throw new UsageException(command + " --setup works on one container: name it with "
                        + "--container-netns " + targets.get(0).containerNs().ref() + " (or another mvd-NAME-ctrN)");
            }
            return new MultiVerifier(runner, warn, this).verify(targets, o, command);
        }
        return List.of(verifyOne(spec, targets.get(0), o, command));
    }

    private Report verifyOne(TargetSpec spec, Target t, Options o, String command) throws InterruptedException {
        try (Journal journal = Journal.forHost(t.hostNs(), runner, warn)) {
            if (!o.setup()) {
                return round("probes", t, o, journal).report(command, null);
            }
            List<String> setupLog = new ArrayList<>();
            Round before;
            Round after;
            try {
                before = round("before the fix", t, o, journal);
                Setup setup = new Setup(runner);
                SetupPlanner.Plan plan = setup.plan(t, Setup.Request.DEFAULT);
                if (plan.nothingToDo()) {
                    setupLog.add("nothing to do: the fix is already in place");
                } else {
                    setup.apply(journal, plan, c -> setupLog.add("+ " + c.command()));
                }
                Trace.mark("fix applied");
                Target fixed = new TargetResolver(runner).resolve(spec.withShim(t.shimName()));
                after = round("after the fix", fixed, o, journal);
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
                    after.diagnosis(), setupLog, after.notes(), after.kernel(), null);
        }
    }

    /**
     * The LAN peers the container is probed against, per family: its gateway (unless link-local: a probe from its
     * global address would need the interface's scope), then --lan-ip; none with --no-lan.
     */
    Map<Family, List<IpAddress>> lanPeers(Target t, Options o) {
        return o.lan() ? lanPeers(t, o.lanIps(), runner) : new EnumMap<>(Family.class);
    }

    static Map<Family, List<IpAddress>> lanPeers(Target t, List<IpAddress> lanIps, ProcessRunner runner) {
        Map<Family, List<IpAddress>> out = new EnumMap<>(Family.class);
        if (t.containerNs() == null || !Files.exists(t.containerNs().file())) {
            return out;
        }
        Ip ctr = new Ip(t.containerNs(), runner);
        ctr.gateways().forEach((f, g) -> {
            if (!g.isLinkLocal()) {
                out.computeIfAbsent(f, k -> new ArrayList<>()).add(g);
            }
        });
        for (IpAddress ip : lanIps) {
            // The probes ask the peer's MAC on the container's own link: an address behind a router would be
            // answered by nobody (or by proxy ARP), which says nothing about this path.
            RouteLookup r = ctr.routeGet(ip);
            if (r == null || r.gateway() != null) {
                throw new UsageException("--lan-ip " + ip + " is not on the container's link ("
                        + (r == null ? "it has no route to it" : "its route goes via " + r.gateway())
                        + "): give an address of the LAN itself");
            }
            List<IpAddress> l = out.computeIfAbsent(ip.family(), k -> new ArrayList<>());
            if (!l.contains(ip)) {
                l.add(ip);
            }
        }
        return out;
    }

    /** Probes once and analyses what was seen. */
    public Round round(String title, Target t, Options o, Journal journal) throws InterruptedException {
        long timeout = o.probeTimeout().toNanos();
        Consumer<Change> flush = o.flush() ? journal::apply : null;
        KernelWaits[] waits = new KernelWaits[1];
        // The facts are read, and the kernel's timers looked at, while the capture opens (ProbeRun.run).
        ProbeRun.Result r = ProbeRun.run(t, ProbeIds.random(), () -> {
            Topology topo = Topology.of(t, new KernelReader(runner).hostToContainer(t)).withLan(lanPeers(t, o));
            Trace.mark("facts read");
            return topo;
        }, () -> {
            waits[0] = KernelWaits.of(t, runner);
            waits[0].awaitAddresses();
            return new ProbeRun.Settings(timeout, timeout, flush, flush, waits[0].byFamily());
        }, () -> o.trace() ? KernelTrace.prepare(journal) : KernelTrace.off());
        Trace.mark("probes done");
        // Judged while the window's sockets and trace instance go (kernel waits): closing r waits for them.
        try (r) {
            Set<Role> captured = EnumSet.noneOf(Role.class);
            r.points().forEach(p -> captured.add(p.role()));
            return judge(title, t, r.topology(), coverage(captured, r.stats(), null), r.ids(), r.outcomes(),
                    r.frames(), r.stats(), o, Set.of(), r.kernel(), waits[0].notes());
        }
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
                List<Frame> frames, List<CaptureStats> stats, Options o, Set<IpAddress> others,
                KernelRecording kernel, List<String> notes) throws InterruptedException {
        Judge.Judgement j = Judge.judge(topo, cov, frames, ids, outcomes);
        List<ProbeExchanges> exchanges = j.runs().stream().map(FamilyRun::exchanges).toList();
        List<CheckResult> checks = j.checks();
        List<Diagnosis> diagnosis;
        KernelFacts k = null;
        boolean passed = checks.stream().allMatch(c -> c.status() == CheckStatus.PASS
                || c.status() == CheckStatus.NOT_APPLICABLE);
        List<KernelEvent> decisions = List.of();
        if (o.alwaysFacts() || !passed) {
            // The kernel's decisions are evidence for a diagnosis: parsed only when there is one to make.
            KernelTrace.Recording recorded = kernel.read();
            decisions = KernelMatch.match(recorded.events(), recorded.ownTids(), topo, devices(topo));
            k = new KernelReader(runner).read(t).withDecisions(decisions);
            Trace.mark("kernel facts read");
            diagnosis = diagnose(t, topo, k, j.runs(), others);
        } else {
            // Nothing to diagnose, but a hazard of the setup is said whether or not the path works.
            diagnosis = t.docker() == null ? List.of() : IpamOverlap.hazards(t.shim(), t.docker().network());
        }
        List<String> said = new ArrayList<>(notes);
        if (kernel.note() != null) {
            said.add(kernel.note());
        }
        return new Round(topo, new Phase(title, j.labelled(), stats, frames, outcomes, cov, decisions), exchanges,
                checks, diagnosis, k, said);
    }

    /** The names of the path's devices, which the kernel's neighbour events name. */
    public static Set<String> devices(Topology topo) {
        Set<String> d = new HashSet<>();
        d.add(topo.parent().name());
        d.add(topo.container().name());
        if (topo.shim() != null) {
            d.add(topo.shim().name());
        }
        return d;
    }

    /**
     * The diagnosis, after asking through the shim whether the addresses that a route names, one typo away from
     * the container's, are alive: a live one is a neighbour's route, never a typo.
     */
    List<Diagnosis> diagnose(Target t, Topology topo, KernelFacts k, List<FamilyRun> runs,
                             Set<IpAddress> others) throws InterruptedException {
        Set<IpAddress> answering = new HashSet<>();
        if (runs.stream().anyMatch(FamilyRun::anyFailed)) {
            answering.addAll(NeighbourProbe.answering(t, topo, RouteMismatch.candidates(k, others),
                    Duration.ofMillis(300)));
        }
        return Diagnoser.diagnose(new Context(k, runs, others, answering,
                t.docker() == null ? null : t.docker().network(), k.decisions()));
    }
}
