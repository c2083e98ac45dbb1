package io.macvlandoctor.engine;

import io.macvlandoctor.Trace;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.probe.FrameCollector;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.system.FactsReader;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.Parallel;
import io.macvlandoctor.system.ProcessRunner;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * verify for many containers on one parent at once: one capture on the host's points and every container's
 * interface, each container probed on its own thread with its own ids, then each judged on the host's frames and
 * its own. One report per container, in the order given.
 */
public final class MultiVerifier {
    /**
     * A container's point sees its own probes and the host's broadcasts: a small ring will do, and the kernel
     * allocates and zeroes every ring at activation. The host's points see every container's exchanges at once.
     */
    private static final int CONTAINER_RING_BYTES = 512 << 10;
    private static final int HOST_RING_BYTES = 8 << 20;
    private final ProcessRunner runner;
    private final Consumer<String> warn;
    private final Verifier verifier;

    public MultiVerifier(ProcessRunner runner, Consumer<String> warn) {
        this.runner = runner;
        this.warn = warn;
        this.verifier = new Verifier(runner, warn);
    }

    public List<Report> verify(List<Target> targets, Verifier.Options o, String command) throws InterruptedException {
        FactsReader factsReader = new FactsReader(runner);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<LiveCapture.Spec> specs = new ArrayList<>();
        for (LiveCapture.Spec s : ProbeRun.capturePoints(targets.get(0))) {
            if (s.point().role() != Role.CONTAINER) {
                specs.add(s);
            }
        }
        List<CapturePoint> ctrPoints = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            CapturePoint p = new CapturePoint(Role.CONTAINER, "container" + (i == 0 ? "" : Integer.toString(i + 1))
                    + ":" + t.containerIface().name());
            ctrPoints.add(p);
            if (t.containerIface().adminUp()) {
                specs.add(new LiveCapture.Spec(p, t.containerNs()));
            }
        }
        specs.forEach(s -> roles.add(s.point().role()));
        List<PathFacts> facts = Parallel.map(targets, t -> factsReader.read(t, roles));
        Trace.mark("facts read");
        List<ProbeIds> ids = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ids.add(ProbeIds.random());
        }
        FrameCollector frames = new FrameCollector();
        ProbeOutcome[] outcomes = new ProbeOutcome[targets.size()];
        List<CaptureStats> stats;
        List<CapturePoint> captured;
        try (Journal journal = Journal.forHost(targets.get(0).hostNs(), runner, warn);
             LiveCapture cap = LiveCapture.open(specs, "arp or icmp", frames::add,
                     s -> s.point().role() == Role.CONTAINER ? CONTAINER_RING_BYTES : HOST_RING_BYTES)) {
            Trace.mark("captures open");
            Consumer<Change> flush = o.flush() ? journal::apply : null;
            if (o.flush()) {
                // The host's entries for all the containers in one `ip` process rather than one each.
                List<List<String>> cmds = new ArrayList<>();
                targets.forEach(t -> cmds.add(List.of("neigh", "flush", "to", Ipv4.format(t.containerIp()))));
                new Ip(targets.get(0).hostNs(), runner).batch(cmds);
            }
            // Dozens of capture readers share two cores with the probes: a frame can come out of the capture well
            // after the kernel saw it. The ARP probe, which waits on the capture, gets 20 ms more per container.
            long arpTimeout = o.probeTimeout().toNanos() + 20_000_000L * targets.size();
            List<Thread> probes = new ArrayList<>();
            InterruptedException[] interrupted = new InterruptedException[1];
            for (int i = 0; i < targets.size(); i++) {
                int k = i;
                Thread th = new Thread(() -> {
                    try {
                        outcomes[k] = ProbeRun.probe(cap, frames, targets.get(k), facts.get(k), ids.get(k),
                                o.probeTimeout().toNanos(), arpTimeout, null, flush, ctrPoints.get(k));
                    } catch (InterruptedException e) {
                        interrupted[0] = e;
                        outcomes[k] = new ProbeOutcome(false, false);
                    }
                }, "probe:" + targets.get(k).containerNs().ref());
                th.setDaemon(true);
                th.start();
                probes.add(th);
            }
            for (Thread th : probes) {
                th.join();
            }
            if (interrupted[0] != null) {
                throw interrupted[0];
            }
            Trace.mark("probes answered");
            stats = cap.stop();
            captured = cap.points();
        }
        List<Frame> all = frames.frames();
        List<Report> reports = new ArrayList<>();
        Set<Integer> ips = new HashSet<>();
        targets.forEach(t -> ips.add(t.containerIp()));
        for (int i = 0; i < targets.size(); i++) {
            Set<Integer> others = new HashSet<>(ips);
            others.remove(targets.get(i).containerIp());
            Target t = targets.get(i);
            reports.add(verifier.judge("probes: " + t.containerNs().ref(), t,
                    facts.get(i).withCaptured(roles(captured, ctrPoints.get(i))), ids.get(i), outcomes[i],
                    own(all, ctrPoints.get(i)), stats, o, others).report(command));
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

    /** The host's frames and this container's: the broadcasts other containers saw are not its. */
    private static List<Frame> own(List<Frame> all, CapturePoint mine) {
        List<Frame> l = new ArrayList<>();
        for (Frame f : all) {
            if (f.point().role() != Role.CONTAINER || f.point().equals(mine)) {
                l.add(f);
            }
        }
        return l;
    }
}
