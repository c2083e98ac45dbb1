package io.macvlandoctor.probe;

import io.macvlandoctor.Trace;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.change.NeighbourFlush;
import io.macvlandoctor.system.RawIcmpSocket;

/**
 * The container's path to the LAN: for each LAN peer of the family (its gateway, --lan-ip) the container's
 * resolution of it (injected on the container's interface, as arping sends it), the same question from the host's
 * own MAC on the parent (what a peer that filters MACs still answers), and, once the container's was answered,
 * its echo through its kernel. Probes go to those peers only. The frames say the rest (LanChecks).
 */
final class LanProbe {
    private LanProbe() {
    }

    static void run(ProbeRun.Capturing c, Target t, Topology topo, Topology.Addressing a, ProbeIds ids,
                    ProbeRun.Settings s) throws InterruptedException {
        if (a.lan().isEmpty() || c.containerPoint() == null) {
            return;
        }
        CapturePoint parent = c.capture().points().stream().filter(p -> p.role() == Role.PARENT).findFirst()
                .orElse(null);
        try (RawIcmpSocket sock = RawIcmpSocket.open(t.containerNs(), a.family(), ids.icmpId())) {
            for (int i = 0; i < a.lan().size(); i++) {
                IpAddress peer = a.lan().get(i);
                if (s.containerFlush() != null) {
                    s.containerFlush().accept(new NeighbourFlush(t.containerNs(), peer));
                }
                boolean answered = ask(c, c.containerPoint(), topo.container().mac(), a.container(), peer, ids, s);
                if (parent != null && a.host() != null) {
                    ask(c, parent, topo.parent().mac(), a.host(), peer, ids, s);
                }
                if (!answered) {
                    continue;
                }
                int seq = ProbeIds.SEQ_LAN + i;
                if (sock.send(peer, Packets.echoRequest(a.family(), ids.icmpId(), seq, ids.payload(seq))) == null) {
                    Trace.mark("lan echo sent");
                    sock.awaitEchoReply(peer, ids.icmpId(), seq, System.nanoTime() + s.timeoutNs());
                }
            }
        }
    }

    /** Our resolution request for peer, from mac and self at a point; whether an answer came back there. */
    private static boolean ask(ProbeRun.Capturing c, CapturePoint at, long mac, IpAddress self, IpAddress peer,
                               ProbeIds ids, ProbeRun.Settings s) throws InterruptedException {
        byte[] req = peer.family() == Family.V4 ? Packets.arpRequest(mac, self, peer)
                : Packets.neighbourSolicitation(mac, self, peer, ids.token());
        if (!c.capture().inject(at, req)) {
            return false;
        }
        FrameKind kind = FrameKind.resolutionReply(peer.family());
        Frame answer = c.frames().await(x -> x.kind() == kind && x.point().equals(at) && x.direction() == Direction.IN
                && peer.equals(x.srcIp()) && self.equals(x.dstIp()), System.nanoTime() + s.resolveTimeoutNs());
        return answer != null;
    }
}
