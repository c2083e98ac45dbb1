package io.macvlandoctor.analysis;

import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The exchanges of one family that the checks look at, picked out of everything that was correlated: the host's
 * echo to the container, the host kernel's own resolution of the container (where its route sends it), our request
 * from the shim asking who answers for the container's address, the container's resolution of the host (our
 * request, as arping or ndisc6 send it) and its echo to the host. With probe ids (a live run) the echoes are our
 * probes; without (someone else's capture) the latest of each kind. Our resolution requests are told from the
 * kernel's by their target hardware address (broadcast, as arping sends it; the kernel's is zero) or, for NDP, by the
 * token in their nonce option. An exchange whose addresses are not known (the host's, offline without facts) is not
 * picked.
 *
 * @param hostResolve the host kernel's own resolution of the container, or null
 * @param hostAsk our request from the host's side for the container's address (who answers for it), or null
 */
public record ProbeExchanges(Family family, Exchange hostEcho, Exchange hostResolve, Exchange hostAsk,
                             Exchange containerResolve, Exchange containerEcho, List<Exchange> all) {

    public static ProbeExchanges select(Topology.Addressing a, ProbeIds ids, List<Exchange> exchanges) {
        IpAddress ctr = a.container();
        IpAddress host = a.host();
        Family f = a.family();
        // The host's own questions: from its address or the source the kernel picks for the container, or for NDP
        // from a link-local address in a solicitation that left the host. The container's LAN peers ask for it
        // too (its gateway, to answer the container's own probes): those are not the host's.
        Predicate<Exchange> byHost = e -> !e.requester().equals(ctr) && !a.lan().contains(e.requester())
                && (host == null && a.expectedSrcIp() == null || e.requester().equals(host)
                        || e.requester().equals(a.expectedSrcIp())
                        || f == Family.V6 && e.requester().isLinkLocal() && e.requests().stream()
                                .anyMatch(r -> r.seenAt(Role.SHIM, Direction.OUT) || r.seenAt(Role.PARENT, Direction.OUT)));
        Predicate<Exchange> hostEcho = e -> e.kind() == Exchange.Kind.ECHO && e.responder().equals(ctr)
                && !e.requester().equals(ctr) && !a.lan().contains(e.requester());
        Predicate<Exchange> ctrEcho = e -> e.kind() == Exchange.Kind.ECHO && e.requester().equals(ctr)
                && e.responder().equals(host);
        Predicate<Exchange> hostResolve = e -> e.kind() == Exchange.Kind.RESOLVE && e.responder().equals(ctr)
                && byHost.test(e);
        // The container asks from its own address (ARP, a solicitation from its global address) or, for NDP, from
        // its link-local one: any requester but the host's.
        Predicate<Exchange> ctrResolve = e -> e.kind() == Exchange.Kind.RESOLVE && e.responder().equals(host)
                && (e.requester().equals(ctr) || f == Family.V6 && e.requester().isLinkLocal()
                        && e.requests().stream().anyMatch(r -> r.point().role() == Role.CONTAINER));
        Predicate<Exchange> asked = e -> e.requests().stream().anyMatch(r -> asked(r, f, ids));
        if (ids == null) {
            return new ProbeExchanges(f, latest(exchanges, hostEcho), latest(exchanges, hostResolve.and(asked.negate())),
                    latest(exchanges, hostResolve.and(asked)), host == null ? null : latest(exchanges, ctrResolve),
                    host == null ? null : latest(exchanges, ctrEcho), exchanges);
        }
        Predicate<Exchange> ours = e -> e.icmpId() == ids.icmpId()
                && e.requests().stream().allMatch(r -> r.token() == ids.token());
        Exchange he = first(exchanges, hostEcho.and(ours).and(e -> e.icmpSeq() == ProbeIds.SEQ_HOST_TO_CONTAINER));
        Exchange ce = first(exchanges, ctrEcho.and(ours).and(e -> e.icmpSeq() == ProbeIds.SEQ_CONTAINER_TO_HOST));
        Exchange cr = first(exchanges, ctrResolve.and(asked));
        Exchange hr = first(exchanges, hostResolve.and(asked.negate()));
        Exchange ha = first(exchanges, hostResolve.and(asked));
        return new ProbeExchanges(f, he, hr, ha, cr, ce, exchanges);
    }

    /**
     * A resolution request we sent: ARP with a broadcast target hardware address (as arping; the kernel's is zero),
     * a solicitation with our token in its nonce option (offline: any token of ours).
     */
    static boolean asked(Frame r, Family f, ProbeIds ids) {
        if (f == Family.V4) {
            return r.targetMac() == Mac.BROADCAST;
        }
        return r.token() != 0 && (ids == null || r.token() == ids.token());
    }

    /** The four exchanges as a report shows them, labelled. */
    public List<Phase.Labelled> labelled() {
        String v6 = family == Family.V6 ? " (IPv6)" : "";
        String resolve = family == Family.V6 ? "ndisc6" : "arping";
        return List.of(new Phase.Labelled("host -> container" + v6, hostEcho),
                new Phase.Labelled("host resolves the container" + v6, hostResolve),
                new Phase.Labelled("who answers for the container (asked from the host)" + v6, hostAsk),
                new Phase.Labelled("container resolves the host (" + resolve + ")" + v6, containerResolve),
                new Phase.Labelled("container -> host" + v6, containerEcho));
    }

    /** The four, those that were seen. */
    public List<Exchange> present() {
        List<Exchange> l = new ArrayList<>();
        for (Exchange e : new Exchange[] {hostEcho, hostResolve, hostAsk, containerResolve, containerEcho}) {
            if (e != null) {
                l.add(e);
            }
        }
        return l;
    }

    /** The resolution the container's own echo needed (the kernel's, not our probe), if any. */
    public Exchange containerKernelResolve(Topology.Addressing a) {
        Exchange found = null;
        for (Exchange e : all) {
            if (e.kind() == Exchange.Kind.RESOLVE && e.responder().equals(a.host()) && e != containerResolve
                    && e.requests().stream().noneMatch(r -> asked(r, a.family(), null))
                    && !e.requester().equals(a.host())
                    && (containerEcho == null || e.startNs() <= endOf(containerEcho))) {
                found = e;
            }
        }
        return found;
    }

    private static long endOf(Exchange e) {
        long t = e.startNs();
        for (Frame fr : e.requests()) {
            t = Math.max(t, fr.timeNs());
        }
        return t;
    }

    private static Exchange first(List<Exchange> l, Predicate<Exchange> p) {
        return l.stream().filter(p).findFirst().orElse(null);
    }

    private static Exchange latest(List<Exchange> l, Predicate<Exchange> p) {
        Exchange found = null;
        for (Exchange e : l) {
            if (p.test(e)) {
                found = e;
            }
        }
        return found;
    }
}
