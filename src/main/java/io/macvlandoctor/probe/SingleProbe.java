package io.macvlandoctor.probe;

import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.RawIcmpSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe by hand (the shell's `probe`): an ICMP echo through the kernel of the host or of the container, or an
 * ARP request injected on the container's interface or on the host's shim, repeated count times, with every point
 * captured. Each attempt waits until its answer arrives or the timeout passes.
 */
public final class SingleProbe {
    public enum Kind { ICMP, ARP }

    public enum Side { HOST, CONTAINER }

    /** Every frame captured, and which attempts were answered (in order). */
    public record Result(List<Frame> frames, List<Boolean> answered, List<CapturePoint> points, String note) {
        public long answeredCount() {
            return answered.stream().filter(b -> b).count();
        }
    }

    private SingleProbe() {
    }

    public static Result run(Target t, PathFacts f, Kind kind, Side from, int to, int count, Duration timeout)
            throws InterruptedException {
        List<LiveCapture.Spec> specs = ProbeRun.capturePoints(t);
        FrameCollector frames = new FrameCollector();
        List<Boolean> answered = new ArrayList<>();
        String note = "";
        ProbeIds ids = ProbeIds.random();
        String filter = "arp or icmp";
        List<CapturePoint> points;
        try (LiveCapture cap = LiveCapture.open(specs, filter, frames::add)) {
            points = cap.points();
            for (int seq = 1; seq <= count; seq++) {
                long deadline = System.nanoTime() + timeout.toNanos();
                if (kind == Kind.ICMP) {
                    Netns ns = from == Side.HOST ? t.hostNs() : t.containerNs();
                    try (RawIcmpSocket sock = RawIcmpSocket.open(ns, ids.icmpId())) {
                        sock.send(to, Packets.icmpEcho(8, ids.icmpId(), seq, ids.payload(seq)));
                        answered.add(sock.awaitEchoReply(to, ids.icmpId(), seq, deadline) >= 0);
                    }
                } else {
                    CapturePoint at = arpPoint(points, from);
                    long mac = from == Side.HOST ? (f.shim() != null ? f.shim().mac() : f.parent().mac())
                            : f.container().mac();
                    int self = from == Side.HOST ? f.hostIp() : f.container().ip();
                    if (at == null || !cap.inject(at, Packets.arpRequest(mac, self, to))) {
                        note = "the ARP request could not be sent: " + (from == Side.HOST ? "no shim or parent"
                                : "the container's interface") + " is not up";
                        answered.add(false);
                        continue;
                    }
                    answered.add(frames.await(x -> x.kind() == FrameKind.ARP_REPLY && x.point().equals(at)
                            && x.direction() == Direction.IN && x.srcIp() == to && x.dstIp() == self, deadline) != null);
                }
            }
            cap.stop();
        }
        return new Result(frames.frames(), answered, points, note);
    }

    /** ARP from the host leaves through the shim when there is one (as the fixed host's does), else the parent. */
    private static CapturePoint arpPoint(List<CapturePoint> points, Side from) {
        Role want = from == Side.CONTAINER ? Role.CONTAINER : Role.SHIM;
        for (Role r : from == Side.CONTAINER ? List.of(want) : List.of(Role.SHIM, Role.PARENT)) {
            for (CapturePoint p : points) {
                if (p.role() == r) {
                    return p;
                }
            }
        }
        return null;
    }
}
