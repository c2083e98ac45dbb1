package io.macvlandoctor.probe;

import io.macvlandoctor.Trace;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.RawIcmpSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One round of probes with every capture point open: host -> container echo (through the host's kernel), and
 * in parallel the container's ARP request for the host (injected, as arping does) followed by its echo to the
 * host (through the container's kernel). Each probe stops waiting as soon as its answer is in; the captures are
 * then drained of what the kernel already queued.
 */
public final class ProbeRun {
    /** What a round produced: every frame captured, what the sockets saw, and libpcap's counters. */
    public record Result(ProbeIds ids, List<Frame> frames, ProbeOutcome outcome, List<CaptureStats> stats,
                         List<CapturePoint> points) {
    }

    private ProbeRun() {
    }

    /**
     * The capture points of a target: the parent, the shim, the container and, in the lab, the wire. An interface
     * that is down cannot be captured on (libpcap refuses it) and sees nothing anyway: it is left out.
     */
    public static List<LiveCapture.Spec> capturePoints(Target t) {
        List<LiveCapture.Spec> specs = new ArrayList<>();
        if (t.parent().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.PARENT, t.parent().name()), t.hostNs()));
        }
        if (t.shim() != null && t.shim().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.SHIM, t.shim().name()), t.hostNs()));
        }
        if (t.containerIface().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.CONTAINER, t.containerIface().name()),
                    t.containerNs()));
        }
        if (t.wire() != null && t.wire().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.WIRE, t.wire().name()), t.lanNs()));
        }
        return specs;
    }

    public static Set<Role> roles(List<LiveCapture.Spec> specs) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        specs.forEach(s -> roles.add(s.point().role()));
        return roles;
    }

    /**
     * Only what the probes need: ARP about the container, and between the container and the host the echoes that
     * carry our id (and ICMP errors). Everything else, a ping flood between the same two addresses included, is
     * dropped by the kernel before it costs us anything.
     */
    static String filter(PathFacts f, ProbeIds ids) {
        String ctr = Ipv4.format(f.container().ip());
        String hosts = "host " + Ipv4.format(f.hostIp());
        if (f.expectedSrcIp() != 0 && f.expectedSrcIp() != f.hostIp()) {
            hosts = "(" + hosts + " or host " + Ipv4.format(f.expectedSrcIp()) + ")";
        }
        return "(arp and host " + ctr + ") or (icmp and host " + ctr + " and " + hosts
                + " and (icmp[4:2] == " + ids.icmpId() + " or (icmp[icmptype] != icmp-echo"
                + " and icmp[icmptype] != icmp-echoreply)))";
    }

    /**
     * @param flush makes a journaled neighbour flush (null: no flushing, --no-flush)
     */
    public static Result run(Target t, PathFacts f, ProbeIds ids, Duration timeout, Consumer<Change> flush)
            throws InterruptedException {
        List<LiveCapture.Spec> specs = capturePoints(t);
        CapturePoint ctrPoint = specs.stream().map(LiveCapture.Spec::point)
                .filter(p -> p.role() == Role.CONTAINER).findFirst().orElse(null);
        FrameCollector frames = new FrameCollector();
        ProbeOutcome outcome;
        List<CaptureStats> stats;
        List<CapturePoint> captured;
        try (LiveCapture cap = LiveCapture.open(specs, filter(f, ids), frames::add)) {
            Trace.mark("captures open");
            outcome = probe(cap, frames, t, f, ids, timeout.toNanos(), timeout.toNanos(), flush, flush, ctrPoint);
            Trace.mark("probes answered");
            stats = cap.stop();
            captured = cap.points();
        }
        return new Result(ids, frames.frames(), outcome, stats, captured);
    }

    /**
     * The probes of one container, on a capture that is already open (one container, or many at once):
     * host -> container echo in parallel with the container's ARP request, then the container's echo.
     */
    /**
     * @param hostFlush flushes the host's neighbour entry for the container (null: done already, or --no-flush)
     * @param arpTimeoutNs how long to wait for the ARP reply to come out of the capture: longer than timeoutNs when
     *     many readers share the CPU and frames reach us late (the sockets' waits do not depend on the capture)
     */
    public static ProbeOutcome probe(LiveCapture cap, FrameCollector frames, Target t, PathFacts f, ProbeIds ids,
                                     long timeoutNs, long arpTimeoutNs, Consumer<Change> hostFlush,
                                     Consumer<Change> flush, CapturePoint ctrPoint)
            throws InterruptedException {
        int ctrIp = f.container().ip();
        int hostIp = f.hostIp();
        AtomicLong hostReply = new AtomicLong(-1);
        long ctrReply = -1;
        try (RawIcmpSocket hostSock = RawIcmpSocket.open(t.hostNs(), ids.icmpId());
             RawIcmpSocket ctrSock = RawIcmpSocket.open(t.containerNs(), ids.icmpId())) {
            // The container's entry for the host is flushed just before its echo (below): the injected ARP probe
            // does not use the container's neighbour table.
            flushNeighbour(hostFlush, t.hostNs(), ctrIp);
            Trace.mark("neighbours flushed");
            Thread hostSide = new Thread(() -> {
                hostSock.send(ctrIp, Packets.icmpEcho(8, ids.icmpId(), ProbeIds.SEQ_HOST_TO_CONTAINER,
                        ids.payload(ProbeIds.SEQ_HOST_TO_CONTAINER)));
                try {
                    hostReply.set(hostSock.awaitEchoReply(ctrIp, ids.icmpId(), ProbeIds.SEQ_HOST_TO_CONTAINER,
                            System.nanoTime() + timeoutNs));
                } catch (InterruptedException e) {
                    hostReply.set(-1);
                }
            }, "probe:host-to-container");
            hostSide.setDaemon(true);
            hostSide.start();

            Frame arpReply = null;
            if (ctrPoint != null && cap.inject(ctrPoint, Packets.arpRequest(f.container().mac(), ctrIp, hostIp))) {
                arpReply = frames.await(x -> x.kind() == FrameKind.ARP_REPLY && x.point().equals(ctrPoint)
                        && x.direction() == Direction.IN && x.srcIp() == hostIp && x.dstIp() == ctrIp,
                        System.nanoTime() + arpTimeoutNs);
            }
            // Unanswered, the ARP probe says all there is: the container's kernel would send the very same request
            // before its echo and get no answer either, so waiting for that too would only double the timeout.
            if (arpReply != null) {
                // The host's ARP for the container (above) teaches the container the host's MAC; forget it again
                // so that the container's echo has to resolve the host itself, as in DESIGN §2.
                flushNeighbour(flush, t.containerNs(), hostIp);
                ctrSock.send(hostIp, Packets.icmpEcho(8, ids.icmpId(), ProbeIds.SEQ_CONTAINER_TO_HOST,
                        ids.payload(ProbeIds.SEQ_CONTAINER_TO_HOST)));
                ctrReply = ctrSock.awaitEchoReply(hostIp, ids.icmpId(), ProbeIds.SEQ_CONTAINER_TO_HOST,
                        System.nanoTime() + timeoutNs);
            }
            hostSide.join(timeoutNs / 1_000_000 + 1000);
        }
        return new ProbeOutcome(hostReply.get() >= 0, ctrReply >= 0);
    }

    private static void flushNeighbour(Consumer<Change> flush, Netns ns, int ip) {
        if (flush != null) {
            String a = Ipv4.format(ip);
            flush.accept(Change.of(ns, "flush the neighbour entry for " + a, List.of("neigh", "flush", "to", a),
                    List.of()));
        }
    }
}
