package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The diagnosis when only frames are known (someone else's capture, no facts file): each rule says what the frames
 * prove and no more, names the two causes it cannot tell apart, and prints no command (without the host's names and
 * state a command could be wrong): the notes say what to run on the host instead.
 */
public final class FrameDiagnoser {
    private FrameDiagnoser() {
    }

    public static List<Diagnosis> diagnose(Topology t, Coverage cov, List<Diagnoser.FamilyRun> runs) {
        List<Diagnosis> out = new ArrayList<>();
        String shim = t.shim() == null || t.shim().name().startsWith("<") ? Target.DEFAULT_SHIM : t.shim().name();
        for (Diagnoser.FamilyRun run : runs) {
            if (!run.anyFailed()) {
                continue;
            }
            int before = out.size();
            Family f = run.family();
            Topology.Addressing a = t.of(f);
            String resolve = f == Family.V4 ? "who-has" : "neighbour solicitation for";
            String host = a.host() == null ? "the host" : a.host().toString();
            Exchange cr = run.exchanges().containerResolve();
            boolean reachedShim = cr != null && cr.requestSeenAt(SHIM);
            if (run.resolveFailed() && cr != null && cr.replies().isEmpty() && !reachedShim) {
                List<Frame> ev = cr.requests();
                if (cov.whole(SHIM)) {
                    out.add(new Diagnosis(Cause.SHIM_MODE, f, "the container's " + resolve + " " + host + " never "
                            + "reached " + shim + " although it was captured: the shim is not a bridge-mode macvlan of "
                            + "the container's parent (shim-mode; or it was down: `diagnose` on the host tells which)",
                            List.of(), ev, List.of(), List.of("on the host: macvlan-doctor diagnose (it prints the "
                                    + "exact commands)")));
                } else {
                    out.add(new Diagnosis(Cause.NO_SHIM, f, "nothing on the host answered the container's " + resolve
                            + " " + host + " (seen " + PathChecks.seen(ev) + "), and no shim was captured: the host "
                            + "has no bridge-mode macvlan on the parent, or it is down (no-shim or shim-down: "
                            + "`diagnose` on the host tells which)", List.of(), ev, List.of(),
                            List.of("on the host: macvlan-doctor setup (creates the shim and its route), or "
                                    + "macvlan-doctor diagnose")));
                }
                continue;
            }
            // Left through the parent: egress there, or seen on the wire at all (the host's own frames there left
            // the host, whatever way the capture says they went).
            Predicate<Frame> left = x -> x.seenAt(PARENT, OUT) || x.point().role() == WIRE && x.direction() != OUT;
            List<Frame> viaParent = new ArrayList<>();
            for (Exchange e : new Exchange[] {run.exchanges().hostResolve(), run.exchanges().hostEcho()}) {
                // The host's own request, not seen on a shim that was captured: it went out another way.
                if (e != null && e.replies().isEmpty() && !(cov.whole(SHIM) && e.requestSeenAt(SHIM))) {
                    e.requests().stream().filter(left).forEach(viaParent::add);
                }
            }
            if (run.exchanges().containerEcho() != null) {
                run.exchanges().containerEcho().replies().stream().filter(left).forEach(viaParent::add);
            }
            if ((run.hostFailed() || run.failed(CheckId.Kind.CONTAINER_ICMP)) && !viaParent.isEmpty()) {
                Frame first = viaParent.get(0);
                out.add(new Diagnosis(Cause.NO_ROUTE, f, "the host sent to " + a.container() + " through the parent: its "
                        + (first.kind().isResolution() ? "request for the container's address" : first.summary())
                        + " left through the parent (egress" + (viaParent.stream().anyMatch(x -> x.seenAt(WIRE, IN))
                                ? ", seen on the wire" : "") + ") instead of the shim, so the host has no route to "
                        + "the container through the shim (no-route or route-mismatch: the frames cannot tell which, "
                        + "`diagnose` on the host can)", List.of(), viaParent, List.of(),
                        List.of("on the host: ip " + (f == Family.V6 ? "-6 " : "") + "route add " + a.container()
                                + " dev " + shim + " (and delete a mistyped route through the shim, if there is one);"
                                + " macvlan-doctor diagnose prints the exact commands")));
            }
            if (run.resolveFailed() && reachedShim && run.checks().stream().anyMatch(c ->
                    c.id().kind() == CheckId.Kind.HOST_ICMP && c.status() == CheckStatus.PASS)) {
                boolean v4 = f == Family.V4;
                out.add(new Diagnosis(v4 ? Cause.ARP_IGNORE : Cause.NDP_PROXY, f, "the container's " + resolve + " "
                        + host + " reached " + shim + " and went unanswered while the host reaches the container "
                        + "through the shim: " + (v4 ? "the host answers ARP only for addresses on the receiving "
                        + "interface (arp_ignore of 1 or more; arp_filter and rp_filter would need a wrong route, "
                        + "which the working echo rules out)" : "proxy NDP is not set up on the shim (proxy_ndp, "
                        + "forwarding and a proxy entry for the host's address)"), List.of(),
                        cr.requests().stream().filter(x -> x.point().role() == SHIM).toList(), List.of(),
                        List.of("on the host: macvlan-doctor diagnose prints the exact commands")));
            }
            if (out.size() == before) {
                out.add(Diagnoser.unexplained(run, List.of("no kernel facts: analyze --facts FILE (written by "
                        + "macvlan-doctor facts on the host) lets the diagnosis name the cause")));
            }
        }
        return out;
    }

}
