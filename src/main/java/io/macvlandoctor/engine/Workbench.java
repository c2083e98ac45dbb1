package io.macvlandoctor.engine;

import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.Judge;
import io.macvlandoctor.analysis.KernelMatch;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.HandProbe;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.probe.SingleProbe;
import io.macvlandoctor.report.FactLines;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.KernelReader;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The engine as the interactive shell uses it, on one target: probes by hand and what they prove (judged by the
 * same checks as verify), the path among the frames gathered so far, the kernel facts, live captures.
 */
public final class Workbench {
    private final ProcessRunner runner;
    private final TargetSpec spec;

    public Workbench(TargetSpec spec, ProcessRunner runner) {
        this.spec = spec;
        this.runner = runner;
    }

    /** The target, read from the kernel again: the shim may have appeared or gone since. */
    public Target target() {
        return new TargetResolver(runner).resolve(spec);
    }

    /** The target's topology, its LAN peers the container's gateways (as verify probes them). */
    public Topology topology(Target t) {
        return Topology.of(t, new KernelReader(runner).hostToContainer(t))
                .withLan(Verifier.lanPeers(t, List.of(), runner));
    }

    /** One probe by hand, with what it shows. */
    public record ProbeResult(SingleProbe.Result run, Topology topology, List<Exchange> exchanges,
                              List<CheckResult> proves, List<KernelEvent> kernel) {
    }

    public ProbeResult probe(Target t, HandProbe.Kind kind, HandProbe.Side from, IpAddress to, int count,
                             Duration timeout) throws InterruptedException {
        Topology topo = topology(t);
        Topology.Addressing a = topo.of(kind.family());
        if (a == null) {
            throw new io.macvlandoctor.UsageException("the container has no " + kind.family().label() + " address: "
                    + "nothing to probe with " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        IpAddress dst = to != null ? to : from == HandProbe.Side.HOST ? a.container() : a.host();
        if (dst == null) {
            throw new io.macvlandoctor.UsageException("the host has no " + kind.family().label() + " address: give --to");
        }
        SingleProbe.Result r;
        // The kernel's decisions about the probe, from a trace instance journaled like any change.
        try (Journal journal = Journal.forHost(t.hostNs(), runner, null)) {
            r = SingleProbe.run(t, topo, kind, from, dst, count, timeout, () -> KernelTrace.prepare(journal));
        }
        // An echo needs the neighbour resolved first: that exchange is shown too.
        List<Exchange> shown = Correlator.correlate(r.frames()).stream().filter(e -> e.responder().equals(dst)
                && (kind.echo() || e.kind() == Exchange.Kind.RESOLVE)).toList();
        // From the container to anyone but its host is a probe of its path to the LAN (the peer joins the list).
        boolean lan = from == HandProbe.Side.CONTAINER && !dst.equals(a.host());
        if (lan && !a.lan().contains(dst)) {
            List<IpAddress> peers = new ArrayList<>(a.lan());
            peers.add(dst);
            topo = topo.withLan(Map.of(kind.family(), peers));
        }
        CheckId.Probe probe = lan ? (kind.echo() ? CheckId.Probe.LAN_ECHO : CheckId.Probe.LAN_RESOLVE)
                : kind.echo() ? (from == HandProbe.Side.HOST ? CheckId.Probe.HOST_ECHO
                : CheckId.Probe.CONTAINER_ECHO) : (from == HandProbe.Side.HOST ? CheckId.Probe.HOST_RESOLVE
                : CheckId.Probe.CONTAINER_RESOLVE);
        Boolean ok = r.answeredCount() > 0;
        ProbeOutcome.Socket sock = kind.echo() ? new ProbeOutcome.Socket(ok, -1, null) : ProbeOutcome.Socket.UNKNOWN;
        ProbeOutcome o = from == HandProbe.Side.HOST ? new ProbeOutcome(sock, ProbeOutcome.Socket.UNKNOWN)
                : new ProbeOutcome(ProbeOutcome.Socket.UNKNOWN, sock);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        r.points().forEach(p -> roles.add(p.role()));
        Judge.Judgement j = Judge.judge(topo, Coverage.of(roles), r.frames(), null, Map.of(kind.family(), o));
        List<CheckResult> proves = new ArrayList<>();
        for (CheckResult c : j.run(kind.family()).allChecks()) {
            if (c.id().kind().judgedOn().contains(probe) && c.id().kind() != CheckId.Kind.STAYS_ON_HOST
                    || c.id().kind() == CheckId.Kind.STAYS_ON_HOST && kind.echo() && !lan) {
                proves.add(c);
            }
        }
        return new ProbeResult(r, topo, shown, proves, KernelMatch.match(r.kernel().events(), r.kernel().ownTids(), topo,
                Verifier.devices(topo)));
    }

    /** The exchanges between host and container among frames gathered so far, for each family. */
    public List<Phase.Labelled> path(Target t, List<Frame> frames) {
        return Judge.judge(topology(t), Coverage.of(Set.of()), frames, null, Map.of()).labelled();
    }

    /**
     * The session's frames as a report (the shell's `export html`): their exchanges and what they prove, judged as
     * analyze judges a capture of no whole point (an absence proves nothing), with the kernel's facts of now.
     */
    public Report report(Target t, List<Frame> frames, List<CapturePoint> points) {
        Topology topo = topology(t);
        Judge.Judgement j = Judge.judge(topo, Coverage.of(Set.of()), frames, null, Map.of());
        List<CaptureStats> stats = new ArrayList<>();
        for (CapturePoint p : points) {
            long n = frames.stream().filter(f -> f.point().equals(p)).count();
            stats.add(new CaptureStats(p, Direction.UNKNOWN, n, 0, 0, n));
        }
        Phase phase = new Phase("the session's frames", j.labelled(), stats, frames, Map.of(), Coverage.of(Set.of()));
        return new Report("shell", topo, List.of(phase), j.checks(), List.of(), List.of(), List.of("judged on the "
                + "frames the session gathered (probes and captures by hand): what they show is proven, an absence "
                + "proves nothing"), new KernelReader(runner).read(t), null);
    }

    /** The kernel facts, one line each. */
    public List<String> facts(Target t) {
        return FactLines.of(new KernelReader(runner).read(t));
    }

    /** A running capture on some of the target's points. */
    public interface Capture {
        List<CapturePoint> points();

        List<CaptureStats> stop();
    }

    /** Starts capturing on the target's points of these roles (all when empty); frames go to sink as they come. */
    public Capture capture(Target t, Set<Role> roles, String filter, Consumer<Frame> sink) {
        List<LiveCapture.Spec> specs = ProbeRun.capturePoints(t).stream()
                .filter(p -> roles.isEmpty() || roles.contains(p.point().role())).toList();
        if (specs.isEmpty()) {
            throw new io.macvlandoctor.UsageException("none of those points can be captured (down or absent)");
        }
        LiveCapture c = LiveCapture.open(specs, filter, sink);
        return new Capture() {
            @Override
            public List<CapturePoint> points() {
                return c.points();
            }

            @Override
            public List<CaptureStats> stop() {
                return c.stop();
            }
        };
    }

    /** The runs that have changes journaled for the target's host namespace (to tell a new setup's run). */
    public java.util.Set<String> journalRuns() {
        java.util.Set<String> runs = new java.util.LinkedHashSet<>();
        try (io.macvlandoctor.system.Journal j = io.macvlandoctor.system.Journal.forHost(TargetResolver.hostNs(spec),
                runner, null)) {
            j.entries().forEach(e -> runs.add(e.run()));
        }
        return runs;
    }

    /** Undoes the changes of these runs (the shell's setups that were not kept), newest first. */
    public List<String> undoRuns(java.util.Set<String> runs) {
        try (io.macvlandoctor.system.Journal j = io.macvlandoctor.system.Journal.forHost(TargetResolver.hostNs(spec),
                runner, null)) {
            return j.undo(e -> runs.contains(e.run()));
        }
    }

    /** Writes frames as pcapng, with the target's facts recorded, as `verify --pcapng` does. */
    public void export(Target t, List<Frame> frames, List<CapturePoint> points, java.io.OutputStream out)
            throws java.io.IOException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        points.forEach(p -> roles.add(p.role()));
        List<String> facts = io.macvlandoctor.report.FactsJson.encodeComments(
                new io.macvlandoctor.report.FactsJson.Recorded(topology(t), java.util.Map.of(), Coverage.of(roles),
                        null));
        io.macvlandoctor.export.PcapngWriter.write(out, "macvlan-doctor shell", facts, points, frames,
                java.util.Map.of());
    }
}
