package io.macvlandoctor.engine;

import io.macvlandoctor.Signals;
import io.macvlandoctor.Trace;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.NeighbourFlush;
import io.macvlandoctor.probe.FrameCollector;
import io.macvlandoctor.probe.KernelRecording;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.probe.ProbeWindow;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.KernelReader;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.Parallel;
import io.macvlandoctor.system.ProcessRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * verify for many containers on one parent at once: one capture on the host's points and every container's
 * interface (each labelled, container:eth0@ctr7), each container probed on its own thread with its own ids, then
 * each judged on the host's frames and its own. One report per container, in the order given.
 */
final class MultiVerifier {
    /**
     * A container's point sees its own probes only (its filter keeps the others' broadcasts out): a small ring
     * will do (a hundred-odd frames), and the kernel allocates and zeroes every ring at activation, all of it
     * resident. The host's points see every container's exchanges at once.
     */
    private static final int CONTAINER_RING_BYTES = 256 << 10;
    private static final int HOST_RING_BYTES = 2 << 20;
    private final ProcessRunner runner;
    private final Consumer<String> warn;
    private final Verifier verifier;

    MultiVerifier(ProcessRunner runner, Consumer<String> warn, Verifier verifier) {
        this.runner = runner;
        this.warn = warn;
        this.verifier = verifier;
    }

    List<Report> verify(List<Target> targets, Verifier.Options o, String command) throws InterruptedException {
        KernelReader kernel = new KernelReader(runner);
        List<Topology> topos = Parallel.map(targets, t -> Topology.of(t, kernel.hostToContainer(t)));
        Trace.mark("facts read");
        List<ProbeIds> ids = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ids.add(ProbeIds.random());
        }
        List<LiveCapture.Spec> specs = new ArrayList<>(ProbeRun.hostPoints(targets.get(0)));
        CapturePoint hostPoint = ProbeRun.hostPoint(specs.stream().map(LiveCapture.Spec::point).toList());
        List<CapturePoint> ctrPoints = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            CapturePoint p = CapturePoint.ofContainer(t.containerIface().name(), t.label());
            ctrPoints.add(p);
            if (t.containerIface().adminUp()) {
                // Its own probes only: the others' broadcasts reach every container's interface.
                specs.add(new LiveCapture.Spec(p, t.containerNs(), t.containerIface().macBits(),
                        ProbeRun.filter(topos.get(i), ids.get(i))));
            }
        }
        FrameCollector frames = new FrameCollector();
        List<Map<Family, ProbeOutcome>> outcomes;
        List<CaptureStats> stats;
        List<CapturePoint> captured;
        KernelRecording recorded;
        // The containers share the host's shim: its timers are the same for all of them.
        KernelWaits waits = KernelWaits.of(targets.get(0), runner);
        try (Journal journal = Journal.forHost(targets.get(0).hostNs(), runner, warn);
             ProbeWindow w = ProbeWindow.open(() -> LiveCapture.open(specs, "arp or icmp or icmp6", frames::add,
                     s -> s.point().role() == Role.CONTAINER ? CONTAINER_RING_BYTES : HOST_RING_BYTES),
                     () -> o.trace() ? KernelTrace.prepare(journal) : KernelTrace.off())) {
            LiveCapture cap = w.capture();
            Trace.mark("captures open");
            Consumer<Change> flush = o.flush() ? journal::apply : null;
            if (o.flush()) {
                // The host's entries for all the containers at once rather than one by one.
                List<NeighbourFlush> flushes = new ArrayList<>();
                for (Target t : targets) {
                    for (IpAddress a : t.containerIps().values()) {
                        flushes.add(new NeighbourFlush(t.hostNs(), a));
                    }
                }
                journal.applyFlushes(flushes);
            }
            // Dozens of capture readers share two cores with the probes: a frame can come out of the capture well
            // after the kernel saw it. The resolution probe, which waits on the capture, gets 20 ms more per
            // container.
            long timeout = o.probeTimeout().toNanos();
            ProbeRun.Settings settings = new ProbeRun.Settings(timeout, timeout + 20_000_000L * targets.size(), null,
                    flush, waits.byFamily());
            w.start();
            List<Parallel.Task<Map<Family, ProbeOutcome>>> probes = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                int k = i;
                probes.add(() -> ProbeRun.probe(new ProbeRun.Capturing(cap, frames, ctrPoints.get(k), hostPoint),
                        targets.get(k), topos.get(k), ids.get(k), settings));
            }
            try {
                outcomes = Parallel.all(probes, "probe");
            } catch (InterruptedException e) {
                throw Signals.interrupted(e);
            }
            Trace.mark("probes answered");
            stats = w.stop();
            recorded = w;
            captured = cap.points();
        }
        return judge(targets, topos, ids, ctrPoints, frames.frames(), captured, stats, outcomes, o, command,
                recorded, waits.notes());
    }

    /** Each container judged on the host's frames and its own; the trace is parsed if one needs it. */
    private List<Report> judge(List<Target> targets, List<Topology> topos, List<ProbeIds> ids,
                               List<CapturePoint> ctrPoints, List<Frame> all, List<CapturePoint> captured,
                               List<CaptureStats> stats, List<Map<Family, ProbeOutcome>> outcomes, Verifier.Options o,
                               String command, KernelRecording kernel, List<String> notes)
            throws InterruptedException {
        Map<CapturePoint, List<Frame>> atContainers = new HashMap<>();
        Map<Object, List<Frame>> atHost = new HashMap<>();
        for (Frame f : all) {
            if (f.point().role() == Role.CONTAINER) {
                atContainers.computeIfAbsent(f.point(), k -> new ArrayList<>()).add(f);
            } else {
                // By every address it carries: a container's frames are then looked up, not searched for.
                for (Object key : new HashSet<>(Arrays.asList(f.srcIp(), f.dstIp(), f.srcMac(), f.dstMac(),
                        f.senderMac(), f.targetMac()))) {
                    if (key != null) {
                        atHost.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
                    }
                }
            }
        }
        List<Report> reports = new ArrayList<>();
        Set<IpAddress> ips = new HashSet<>();
        targets.forEach(t -> ips.addAll(t.containerIps().values()));
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Set<IpAddress> others = new HashSet<>(ips);
            others.removeAll(t.containerIps().values());
            Set<Role> roles = roles(captured, ctrPoints.get(i));
            reports.add(verifier.judge("probes: " + t.label(), t, topos.get(i),
                    Verifier.coverage(roles, stats, ctrPoints.get(i)), ids.get(i), outcomes.get(i),
                    own(atHost, atContainers.getOrDefault(ctrPoints.get(i), List.of()), t), stats, o, others,
                    kernel, notes).report(command, t.label()));
        }
        Trace.mark("judged");
        return reports;
    }

    /** The roles captured for one container: the host's points and its own interface. */
    private static Set<Role> roles(List<CapturePoint> captured, CapturePoint mine) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (CapturePoint p : captured) {
            if (p.role() != Role.CONTAINER || p.equals(mine)) {
                roles.add(p.role());
            }
        }
        return roles;
    }

    /**
     * This container's frames: those of its own interface, and those of the host's points that carry its
     * addresses or its MAC (the other containers' exchanges are not its, and judging them for each of N
     * containers would cost N times all of them), in the order of their timestamps.
     */
    private static List<Frame> own(Map<Object, List<Frame>> atHost, List<Frame> atMine, Target t) {
        Set<Object> keys = new HashSet<>(t.containerIps().values());
        if (t.containerIface() != null) {
            keys.add(t.containerIface().macBits());
        }
        Set<Frame> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        mine.addAll(atMine);
        keys.forEach(k -> mine.addAll(atHost.getOrDefault(k, List.of())));
        List<Frame> l = new ArrayList<>(mine);
        l.sort(Comparator.comparingLong(Frame::timeNs));
        return l;
    }
}
