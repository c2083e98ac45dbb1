package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The frames and facts several rules show as evidence. */
final class Evidence {
    private Evidence() {
    }

    static String linkFact(Link l) {
        return l.name() + ": " + (l.adminUp() ? "up" : "down") + ", operstate " + l.operState()
                + (l.macvlanMode() == null ? "" : ", macvlan " + l.macvlanMode());
    }

    /** Requests of every family's resolutions that got no answer, wherever they were seen. */
    static List<Frame> unansweredAll(Context c) {
        List<Frame> l = new ArrayList<>();
        for (FamilyRun r : c.runs()) {
            for (Exchange e : new Exchange[] {r.exchanges().containerResolve(), r.exchanges().hostResolve()}) {
                if (e != null && e.replies().isEmpty()) {
                    l.addAll(e.requests());
                }
            }
        }
        return l;
    }

    /** The container's request as it reached the host (shim ingress), when nothing answered it. */
    static List<Frame> arrivedUnanswered(Exchange e) {
        if (e == null || !e.replies().isEmpty()) {
            return List.of();
        }
        return e.requests().stream().filter(f -> f.seenAt(SHIM, IN)).toList();
    }

    /**
     * Frames that show the host sending towards the container through the parent instead of the shim: its own
     * (the kernel's) resolution and echo leaving the parent. Our request from the shim leaves through the parent too
     * (a broadcast goes to the wire), so it is no evidence of the route.
     */
    static List<Frame> leftViaParent(ProbeExchanges p) {
        List<Frame> l = new ArrayList<>();
        Predicate<Frame> left = f -> f.seenAt(PARENT, OUT) || f.seenAt(WIRE, IN);
        for (Exchange e : new Exchange[] {p.hostResolve(), p.hostEcho()}) {
            if (e != null) {
                e.requests().stream().filter(left).forEach(l::add);
            }
        }
        if (p.containerEcho() != null) {
            p.containerEcho().replies().stream().filter(left).forEach(l::add);
            // The container's echo reached the host through the shim and got no answer back that way.
            if (p.containerEcho().replies().isEmpty()) {
                p.containerEcho().requests().stream().filter(f -> f.seenAt(SHIM, IN)).forEach(l::add);
            }
        }
        return l;
    }

    /** ": its ARP request for the container left through ens33 (egress on the parent) instead of the shim" */
    static String describeLeft(List<Frame> ev, String where, Family f) {
        if (ev.isEmpty()) {
            return "";
        }
        Frame first = ev.get(0);
        boolean wire = ev.stream().anyMatch(x -> x.seenAt(WIRE, IN));
        if (first.seenAt(SHIM, IN)) {
            return ": the container's echo request arrived through the shim and no reply went back that way";
        }
        String what = first.kind().isResolution() ? (f == Family.V4 ? "ARP request" : "neighbour solicitation")
                + " for the container" : first.summary();
        return ": its " + what + " left through " + where + " (egress on the parent" + (wire ? ", seen on the wire"
                : "") + ") instead of the shim";
    }

    /** The kernel's route lookups of the judged family towards the container's address. */
    static List<KernelEvent.Lookup> lookupsTo(Case c) {
        return c.kernel(KernelEvent.Lookup.class).stream().filter(l -> l.family() == c.family()
                && c.ctr().equals(l.dst())).toList();
    }
}
