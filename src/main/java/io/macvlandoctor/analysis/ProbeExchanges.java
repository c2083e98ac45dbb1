package io.macvlandoctor.analysis;

import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import java.util.List;
import java.util.function.Predicate;

/**
 * The exchanges the checks look at, picked out of everything that was correlated: the host's echo to the
 * container and its ARP for the container, the container's ARP for the host and its echo to the host.
 * With probe ids (a live run) they are our probes; without (someone else's capture) the latest of each kind.
 */
public record ProbeExchanges(Exchange hostEcho, Exchange hostArp, Exchange containerArp, Exchange containerEcho,
                             List<Exchange> all) {

    public static ProbeExchanges select(PathFacts f, ProbeIds ids, List<Exchange> exchanges) {
        int ctr = f.container().ip();
        int host = f.hostIp();
        Predicate<Exchange> hostEcho = e -> e.kind() == Exchange.Kind.ICMP_ECHO && e.responder() == ctr
                && e.requester() != ctr;
        Predicate<Exchange> ctrEcho = e -> e.kind() == Exchange.Kind.ICMP_ECHO && e.requester() == ctr
                && e.responder() == host;
        Predicate<Exchange> hostArp = e -> e.kind() == Exchange.Kind.ARP && e.responder() == ctr
                && e.requester() != ctr;
        Predicate<Exchange> ctrArp = e -> e.kind() == Exchange.Kind.ARP && e.requester() == ctr
                && e.responder() == host;
        if (ids == null) {
            return new ProbeExchanges(latest(exchanges, hostEcho), latest(exchanges, hostArp),
                    latest(exchanges, ctrArp), latest(exchanges, ctrEcho), exchanges);
        }
        Predicate<Exchange> ours = e -> e.icmpId() == ids.icmpId()
                && e.requests().stream().allMatch(r -> r.token() == ids.token());
        Exchange he = first(exchanges, hostEcho.and(ours).and(e -> e.icmpSeq() == ProbeIds.SEQ_HOST_TO_CONTAINER));
        Exchange ce = first(exchanges, ctrEcho.and(ours).and(e -> e.icmpSeq() == ProbeIds.SEQ_CONTAINER_TO_HOST));
        // Our injected request asks with a broadcast target MAC; the kernel's own ARP uses zeros.
        Exchange ca = first(exchanges, ctrArp.and(e -> e.requests().stream()
                .anyMatch(r -> r.arpTargetMac() == Mac.BROADCAST)));
        Exchange ha = first(exchanges, hostArp);
        return new ProbeExchanges(he, ha, ca, ce, exchanges);
    }

    /** The four exchanges as a report shows them, labelled. */
    public List<Phase.Labelled> labelled() {
        return List.of(new Phase.Labelled("host -> container", hostEcho),
                new Phase.Labelled("host resolves the container", hostArp),
                new Phase.Labelled("container resolves the host (arping)", containerArp),
                new Phase.Labelled("container -> host", containerEcho));
    }

    /** The ARP exchange the container's own echo needed (the kernel's, not our probe), if any. */
    public Exchange containerKernelArp(PathFacts f) {
        Exchange found = null;
        for (Exchange e : all) {
            if (e.kind() == Exchange.Kind.ARP && e.requester() == f.container().ip() && e.responder() == f.hostIp()
                    && e != containerArp
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
