package io.macvlandoctor.probe;

import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks, through the shim, whether addresses are alive: an ARP request or neighbour solicitation for each, from the
 * shim's MAC and the host's address, and whatever answers within the timeout. A route through the shim to an
 * address that answers belongs to a live neighbour (another container), never a typo to be removed.
 */
public final class NeighbourProbe {
    private NeighbourProbe() {
    }

    public static Set<IpAddress> answering(Target t, Topology topo, List<IpAddress> candidates, Duration timeout)
            throws InterruptedException {
        Set<IpAddress> alive = new HashSet<>();
        if (candidates.isEmpty() || t.shim() == null || !t.shim().adminUp() || topo.shim() == null) {
            return alive;
        }
        CapturePoint shim = CapturePoint.of(Role.SHIM, t.shim().name());
        FrameCollector frames = new FrameCollector();
        ProbeIds ids = ProbeIds.random();
        try (LiveCapture cap = LiveCapture.open(List.of(new LiveCapture.Spec(shim, t.hostNs())), "arp or icmp6",
                frames::add)) {
            for (IpAddress c : candidates) {
                Topology.Addressing a = topo.of(c.family());
                if (a == null || a.host() == null) {
                    continue;
                }
                byte[] req = c.family() == Family.V4 ? Packets.arpRequest(topo.shim().mac(), a.host(), c)
                        : Packets.neighbourSolicitation(topo.shim().mac(), a.host(), c, ids.token());
                cap.inject(shim, req);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Set<IpAddress> wanted = new HashSet<>(candidates);
            while (!wanted.isEmpty()) {
                Frame f = frames.await(x -> x.direction() == Direction.IN && x.kind().isResolution()
                        && !x.kind().isRequest() && wanted.contains(x.srcIp()), deadline);
                if (f == null) {
                    break;
                }
                wanted.remove(f.srcIp());
                alive.add(f.srcIp());
            }
            cap.stop();
        }
        return alive;
    }
}
