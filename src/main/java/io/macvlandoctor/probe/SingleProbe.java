package io.macvlandoctor.probe;

import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.HandProbe.Kind;
import io.macvlandoctor.model.HandProbe.Side;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.system.RawIcmpSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One probe by hand (the shell's `probe`): an echo through the kernel of the host or of the container, or an ARP
 * request or neighbour solicitation injected on the container's interface or on the host's shim, repeated count
 * times, with every point captured. Each attempt waits until its answer arrives or the timeout passes.
 */
public final class SingleProbe {
    /** Every frame captured, which attempts were answered (in order), and what the kernel recorded meanwhile. */
    public record Result(List<Frame> frames, List<Boolean> answered, List<CapturePoint> points, String note,
                         KernelTrace.Recording kernel) {
        public long answeredCount() {
            return answered.stream().filter(b -> b).count();
        }
    }

    private SingleProbe() {
    }

    public static Result run(Target t, Topology topo, Kind kind, Side from, IpAddress to, int count, Duration timeout,
                             Supplier<KernelTrace> tracing) throws InterruptedException {
        List<LiveCapture.Spec> specs = ProbeRun.capturePoints(t);
        FrameCollector frames = new FrameCollector();
        List<Boolean> answered = new ArrayList<>();
        String note = "";
        ProbeIds ids = ProbeIds.random();
        Family f = kind.family();
        Topology.Addressing a = topo.of(f);
        List<CapturePoint> points;
        KernelTrace.Recording kernel;
        try (ProbeWindow w = ProbeWindow.open(() -> LiveCapture.open(specs, f == Family.V4 ? "arp or icmp" : "icmp6",
                frames::add), tracing)) {
            LiveCapture cap = w.capture();
            points = cap.points();
            w.start();
            for (int seq = 1; seq <= count; seq++) {
                long deadline = System.nanoTime() + timeout.toNanos();
                if (kind.echo()) {
                    Netns ns = from == Side.HOST ? t.hostNs() : t.containerNs();
                    try (RawIcmpSocket sock = RawIcmpSocket.open(ns, f, ids.icmpId())) {
                        String err = sock.send(to, Packets.echoRequest(f, ids.icmpId(), seq, ids.payload(seq)));
                        if (err != null) {
                            note = "the kernel refused to send: " + err;
                        }
                        answered.add(err == null && sock.awaitEchoReply(to, ids.icmpId(), seq, deadline) >= 0);
                    }
                    continue;
                }
                CapturePoint at = injectionPoint(points, from);
                long mac = from == Side.HOST ? (topo.shim() != null ? topo.shim().mac() : topo.parent().mac())
                        : topo.container().mac();
                IpAddress self = from == Side.HOST ? a.host() : a.container();
                byte[] frame = f == Family.V4 ? Packets.arpRequest(mac, self, to)
                        : Packets.neighbourSolicitation(mac, self, to, ids.token());
                if (at == null || self == null || !cap.inject(at, frame)) {
                    note = "the request could not be sent: " + (from == Side.HOST ? "no shim or parent"
                            : "the container's interface") + " is not up";
                    answered.add(false);
                    continue;
                }
                FrameKind reply = FrameKind.resolutionReply(f);
                answered.add(frames.await(x -> x.kind() == reply && x.point().equals(at)
                        && x.direction() == Direction.IN && to.equals(x.srcIp()) && self.equals(x.dstIp()),
                        deadline) != null);
            }
            w.stop();
            kernel = w.read();
        }
        return new Result(frames.frames(), answered, points, note, kernel);
    }

    /** A request from the host leaves through the shim when there is one (as the fixed host's does), else the parent. */
    private static CapturePoint injectionPoint(List<CapturePoint> points, Side from) {
        List<Role> order = from == Side.CONTAINER ? List.of(Role.CONTAINER) : List.of(Role.SHIM, Role.PARENT);
        for (Role r : order) {
            for (CapturePoint p : points) {
                if (p.role() == r) {
                    return p;
                }
            }
        }
        return null;
    }
}
