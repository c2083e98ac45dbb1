package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Direction.UNKNOWN;
import static io.macvlandoctor.model.Role.CONTAINER;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks of the contract (docs/design.md): the documented path, judged frame by frame against facts that did not come from the
 * frames. A check passes only on frames that show its property and lists them; the sockets corroborate. Absence
 * proves something only at a point captured whole (Coverage). What neither proves nor disproves is UNPROVEN, with
 * what would prove it. docs/checks.md says, per id, what proves, disproves and leaves it unproven. Pure.
 */
public final class PathChecks {
    /** Live: the parent has no address of the family; offline: nobody said which address is the host's. */
    static final String HOST_UNKNOWN = "the host's address is not known (the parent has none of this family; for "
            + "captures: give --host-ip or --facts)";

    private PathChecks() {
    }

    /** What one family's checks look at. */
    record Judged(Topology t, Topology.Addressing a, Coverage c, ProbeExchanges p, ProbeOutcome o) {
        Family family() {
            return a.family();
        }

        CheckId id(CheckId.Kind k) {
            return CheckId.of(k, a.family());
        }

        String ctr() {
            return a.container().toString();
        }

        String host() {
            return a.host() == null ? "the host" : a.host().toString();
        }

        String resolution() {
            return a.family() == Family.V4 ? "ARP request" : "neighbour solicitation";
        }
    }

    /** Every check of one family but the isolation one, which needs a run before the setup. */
    public static List<CheckResult> evaluate(Topology t, Family f, Coverage c, ProbeExchanges p, ProbeOutcome o) {
        Judged j = new Judged(t, t.of(f), c, p, o);
        List<CheckResult> out = new ArrayList<>();
        out.add(hostIcmp(j));
        out.add(hostSrcMac(j));
        out.add(hostSrcIp(j));
        out.add(hostReplyViaShim(j));
        out.add(containerResolvesHost(j));
        out.add(containerIcmp(j));
        out.add(parentTap(j));
        out.add(staysOnHost(j));
        return out;
    }

    /**
     * The article's problem, shown: before the fix the host's probe failed the way a missing fix explains (its
     * resolution of the container went unanswered, or its request never reached the container).
     */
    public static CheckResult isolation(Family f, CheckResult hostIcmpBefore, ProbeExchanges before, Coverage c) {
        CheckId id = CheckId.of(CheckId.Kind.ISOLATION, f);
        if (hostIcmpBefore.status() == CheckStatus.PASS) {
            return CheckResult.notApplicable(id, "the host already reached the container before setup: the path "
                    + "worked without the fix, nothing to show");
        }
        Exchange echo = before.hostEcho();
        Exchange res = before.hostResolve();
        if (res != null && res.replies().isEmpty() && !res.requests().isEmpty() && c.whole(CONTAINER)
                && (echo == null || echo.requests().isEmpty())) {
            return CheckResult.pass(id, "before the fix the host could not reach the container: its "
                    + (f == Family.V4 ? "ARP request" : "neighbour solicitation") + " for the container went unanswered "
                    + "(seen " + seen(res.requests()) + ")", res.requests());
        }
        if (echo != null && !echo.requests().isEmpty() && echo.replies().isEmpty() && c.whole(CONTAINER)
                && !echo.requestSeenAt(CONTAINER)) {
            return CheckResult.pass(id, "before the fix the host could not reach the container: its echo request "
                    + "never reached it (seen only " + seen(echo.requests()) + ")", echo.requests());
        }
        if (hostIcmpBefore.status() == CheckStatus.FAIL) {
            return CheckResult.unproven(id, "before the fix the host's probe failed, but not the way a missing shim "
                    + "explains: " + hostIcmpBefore.summary(), hostIcmpBefore.evidence());
        }
        return CheckResult.unproven(id, "the probe before the fix cannot show the isolation: "
                + hostIcmpBefore.summary());
    }

    /** A frame on its way into the host: on the shim (which sees only its own traffic), or the parent's tap copy. */
    private static boolean atHostSide(Frame x) {
        return x.point().role() == SHIM || x.point().role() == PARENT && x.direction() == IN;
    }

    /** A frame on its way into the container: at its interface, or the parent's tap copy of it. */
    private static boolean atContainerSide(Frame x) {
        return x.point().role() == CONTAINER && x.direction() != OUT || x.point().role() == PARENT
                && x.direction() == IN;
    }

    private static boolean hostSideWhole(Coverage c) {
        return c.whole(SHIM) || c.whole(PARENT);
    }

    /** The distinct link-layer addresses that answered a resolution, where the asker's side saw them. */
    static Set<Long> answers(Exchange res, java.util.function.Predicate<Frame> where) {
        Set<Long> macs = new LinkedHashSet<>();
        if (res != null) {
            res.replies().stream().filter(where).forEach(r -> macs.add(r.senderMac() != 0 ? r.senderMac() : r.srcMac()));
        }
        return macs;
    }

    static CheckResult hostIcmp(Judged j) {
        CheckId id = j.id(CheckId.Kind.HOST_ICMP);
        Exchange e = j.p().hostEcho();
        ProbeOutcome.Socket s = j.o().host();
        for (Exchange res0 : new Exchange[] {j.p().hostAsk(), j.p().hostResolve()}) {
            Set<Long> answered = answers(res0, PathChecks::atHostSide);
            if (answered.size() > 1) {
                return CheckResult.fail(id, "two devices answer for " + j.ctr() + " ("
                        + answered.stream().map(j.t()::nameOfMac).collect(Collectors.joining(", ")) + "): the host "
                        + "may reach the other one instead of the container at any time", res0.replies());
            }
        }
        if (e == null || e.requests().isEmpty()) {
            if (s.sendError() != null) {
                return CheckResult.fail(id, "the host's kernel refused to send the echo to " + j.ctr() + ": "
                        + s.sendError(), List.of());
            }
            Exchange res = j.p().hostResolve();
            if (res != null && !res.requests().isEmpty() && res.replies().isEmpty()) {
                if (hostSideWhole(j.c()) && (j.c().whole(CONTAINER) || Boolean.FALSE.equals(s.gotReply()))) {
                    return CheckResult.fail(id, "no echo request to " + j.ctr() + " was sent: the host's "
                            + j.resolution() + " for it got no answer (seen " + seen(res.requests()) + ")",
                            res.requests());
                }
                return CheckResult.unproven(id, "the host's " + j.resolution() + " for " + j.ctr() + " was seen "
                        + "unanswered, but " + j.c().gap(CONTAINER), res.requests());
            }
            if (Boolean.TRUE.equals(s.gotReply())) {
                return CheckResult.unproven(id, "the probing socket got the reply from " + j.ctr()
                        + ", but no frame of the exchange was captured");
            }
            if (Boolean.FALSE.equals(s.gotReply()) && hostSideWhole(j.c())) {
                return CheckResult.fail(id, "the host got no reply from " + j.ctr() + ", and neither its echo request "
                        + "nor a " + j.resolution() + " for it was seen at the captured points (" + captured(j.c())
                        + ")", List.of());
            }
            return CheckResult.unproven(id, "the captures hold no echo from the host to " + j.ctr());
        }
        Frame req = e.requests().get(0);
        // The shim's own sighting first; the parent's tap copy when the shim was not captured.
        Frame reply = e.replies().stream().filter(PathChecks::atHostSide)
                .min(java.util.Comparator.comparing(x -> x.point().role() == SHIM ? 0 : 1)).orElse(null);
        if (reply != null) {
            String rtt = " (" + micros(reply.timeNs() - req.timeNs()) + " after the request, seen at " + place(reply)
                    + ")";
            if (s.gotReply() == null || s.gotReply()) {
                return CheckResult.pass(id, "the host got the echo reply from " + j.ctr() + rtt, List.of(req, reply));
            }
            if (s.drops() > 0) {
                return CheckResult.pass(id, "the echo reply from " + j.ctr() + " reached the host" + rtt
                        + "; the probing socket missed it (its queue dropped " + s.drops() + " packets)",
                        List.of(req, reply));
            }
            if (late(reply, s)) {
                return CheckResult.fail(id, "no reply from " + j.ctr() + " in time: one came only "
                        + millis(reply.timeNs() - req.timeNs()) + " after the request, when the probe had stopped "
                        + "waiting (--probe-timeout)", List.of(req, reply));
            }
            return CheckResult.fail(id, "the echo reply from " + j.ctr() + " reached " + place(reply)
                    + " but the host's stack never delivered it: the kernel dropped it in between (netfilter, "
                    + "rp_filter)", List.of(req, reply));
        }
        if (e.replies().stream().anyMatch(x -> x.point().role() == PARENT && x.direction() == UNKNOWN)
                && !Boolean.TRUE.equals(s.gotReply())) {
            return CheckResult.unproven(id, "the container answered (seen " + seen(e.replies()) + "), but the "
                    + "parent's capture does not record which way its copy went: give --facts (or the shim's capture)",
                    concat(List.of(req), e.replies()));
        }
        if (!e.replies().isEmpty()) {
            // Seen only on the container's side: it answered; whether the host got it the host's points tell.
            if (Boolean.TRUE.equals(s.gotReply())) {
                return CheckResult.pass(id, "the container answered the echo (seen " + seen(e.replies())
                        + ") and the host got the reply (" + j.c().gap(SHIM) + ")", concat(List.of(req), e.replies()));
            }
            if (hostSideWhole(j.c())) {
                return CheckResult.fail(id, "the container answered, but the reply never reached the host (seen only "
                        + seen(e.replies()) + ")", concat(List.of(req), e.replies()));
            }
            return CheckResult.unproven(id, "the container answered the echo (seen " + seen(e.replies())
                    + "), but the host's side was not captured: give --capture shim=FILE or parent=FILE",
                    concat(List.of(req), e.replies()));
        }
        if (e.requestSeenAt(CONTAINER)) {
            if (j.c().whole(CONTAINER) || Boolean.FALSE.equals(s.gotReply())) {
                return CheckResult.fail(id, "the echo request reached the container but it did not answer",
                        e.requests());
            }
            return CheckResult.unproven(id, "the echo request reached the container and no reply was seen, but "
                    + j.c().gap(CONTAINER), e.requests());
        }
        if (j.c().whole(CONTAINER)) {
            return CheckResult.fail(id, "the echo request never reached the container (seen only "
                    + seen(e.requests()) + ")", e.requests());
        }
        return CheckResult.unproven(id, "the echo request was seen " + seen(e.requests()).substring(3)
                + " and no reply, but " + j.c().gap(CONTAINER), e.requests());
    }

    static CheckResult hostSrcMac(Judged j) {
        CheckId id = j.id(CheckId.Kind.HOST_SRC_MAC);
        Frame req = hostRequestAsSent(j.p().hostEcho());
        if (req == null) {
            return CheckResult.unproven(id, "no echo request from the host was seen");
        }
        Endpoint shim = j.t().shim();
        if (shim == null) {
            return CheckResult.fail(id, "there is no shim: the request was sent from " + j.t().nameOfMac(req.srcMac()),
                    List.of(req));
        }
        if (shim.mac() == 0) {
            return CheckResult.unproven(id, "the request came from " + Mac.format(req.srcMac()) + ", but the shim's "
                    + "MAC is not known: give --shim-mac or --facts", List.of(req));
        }
        if (req.srcMac() == shim.mac()) {
            return CheckResult.pass(id, "source MAC " + Mac.format(req.srcMac()) + " is the shim's (" + shim.name()
                    + "), seen at " + place(req), List.of(req));
        }
        return CheckResult.fail(id, "source MAC is " + j.t().nameOfMac(req.srcMac()) + ", not the shim's "
                + shim.macText() + " (seen at " + place(req) + ")", List.of(req));
    }

    static CheckResult hostSrcIp(Judged j) {
        CheckId id = j.id(CheckId.Kind.HOST_SRC_IP);
        Frame req = hostRequestAsSent(j.p().hostEcho());
        if (req == null) {
            return CheckResult.unproven(id, "no echo request from the host was seen");
        }
        Topology.Addressing a = j.a();
        var expected = a.expectedSrcIp() != null ? a.expectedSrcIp() : a.host();
        if (expected == null) {
            return CheckResult.unproven(id, "the request came from " + req.srcIp() + ", but the host's expected "
                    + "source address is not known: give --host-ip or --facts", List.of(req));
        }
        String why = a.expectedSrcIp() != null ? "the kernel's choice (ip " + (j.family() == Family.V6 ? "-6 " : "")
                + "route get " + j.ctr() + ": src " + expected + (a.routeDev() == null ? "" : " dev " + a.routeDev())
                + ")" : "the host's address";
        if (expected.equals(req.srcIp())) {
            return CheckResult.pass(id, "source IP " + req.srcIp() + " is " + why, List.of(req));
        }
        return CheckResult.fail(id, "source IP " + req.srcIp() + " is not " + why, List.of(req));
    }

    static CheckResult hostReplyViaShim(Judged j) {
        CheckId id = j.id(CheckId.Kind.HOST_REPLY_VIA_SHIM);
        Exchange e = j.p().hostEcho();
        if (e == null || e.requests().isEmpty()) {
            return CheckResult.unproven(id, "no echo request from the host was seen");
        }
        if (e.replies().isEmpty()) {
            return CheckResult.unproven(id, "no echo reply to look at (" + j.id(CheckId.Kind.HOST_ICMP) + " says why)");
        }
        Endpoint shim = j.t().shim();
        if (shim == null) {
            Frame any = e.replies().get(0);
            return CheckResult.fail(id, "there is no shim: the reply was addressed to " + j.t().nameOfMac(any.dstMac()),
                    e.replies());
        }
        if (shim.mac() == 0) {
            return CheckResult.unproven(id, "the shim's MAC is not known: give --shim-mac or --facts", e.replies());
        }
        Frame atShim = e.replies().stream().filter(x -> x.point().role() == SHIM && x.direction() != OUT
                && x.dstMac() == shim.mac()).findFirst().orElse(null);
        if (atShim != null) {
            return CheckResult.pass(id, "the echo reply was addressed to the shim's MAC " + shim.macText()
                    + " and entered the host through " + shim.name(), List.of(atShim));
        }
        Frame toShim = e.replies().stream().filter(x -> x.dstMac() == shim.mac())
                .min(java.util.Comparator.comparing(x -> x.seenAt(PARENT, IN) ? 0 : 1)).orElse(null);
        if (toShim != null && !j.c().saw(SHIM) && toShim.point().role() == PARENT && toShim.direction() == IN) {
            return CheckResult.pass(id, "the echo reply was addressed to the shim's MAC " + shim.macText()
                    + ", seen at the parent's tap on its way into " + shim.name() + " (the shim was not captured)",
                    List.of(toShim));
        }
        if (toShim != null && !j.c().whole(SHIM)) {
            return CheckResult.unproven(id, "the echo reply was addressed to the shim's MAC (seen at " + place(toShim)
                    + "), but " + j.c().gap(SHIM), List.of(toShim));
        }
        if (toShim != null) {
            return CheckResult.fail(id, "the echo reply was addressed to the shim's MAC but never entered "
                    + shim.name() + " (seen " + seen(e.replies()) + ")", e.replies());
        }
        Frame any = e.replies().get(0);
        return CheckResult.fail(id, "the echo reply was addressed to " + j.t().nameOfMac(any.dstMac()) + " and seen "
                + seen(e.replies()) + ", not entering through the shim", e.replies());
    }

    /** container-to-host.arp-flux (IPv4) and ipv6.container-to-host.ndp-proxy. */
    static CheckResult containerResolvesHost(Judged j) {
        CheckId id = j.id(CheckId.Kind.CONTAINER_RESOLVES_HOST);
        String what = j.family() == Family.V4 ? "ARP flux" : "proxy NDP";
        if (j.a().host() == null) {
            return CheckResult.unproven(id, HOST_UNKNOWN);
        }
        Exchange e = j.p().containerResolve();
        String host = j.host();
        if (e == null || e.requests().isEmpty()) {
            return CheckResult.unproven(id, "no " + j.resolution() + " from the container for " + host + " was seen");
        }
        Frame req = e.requests().get(0);
        // What reached the container decides; without a capture there, what the host sent towards it.
        List<Frame> arrived = e.replies().stream().filter(PathChecks::atContainerSide)
                .sorted(java.util.Comparator.comparing(x -> x.point().role() == CONTAINER ? 0 : 1)).toList();
        if (arrived.isEmpty() && !j.c().saw(CONTAINER)) {
            arrived = e.replies().stream().filter(x -> x.point().role() == SHIM || x.point().role() == PARENT)
                    .toList();
        }
        if (arrived.isEmpty()) {
            if (!e.replies().isEmpty() && j.c().whole(CONTAINER)) {
                return CheckResult.fail(id, host + " was answered (seen " + seen(e.replies()) + ") but the answer "
                        + "never reached the container", concat(List.of(req), e.replies()));
            }
            boolean whole = j.c().whole(CONTAINER) || e.requestSeenAt(SHIM) && j.c().whole(SHIM);
            if (whole) {
                return CheckResult.fail(id, "nothing answered the container's who-has " + host + " (the request was "
                        + "seen " + seen(e.requests()) + ")", e.requests());
            }
            return CheckResult.unproven(id, "no answer to the container's who-has " + host + " was seen, but "
                    + j.c().gap(CONTAINER), e.requests());
        }
        Set<Long> macs = new LinkedHashSet<>();
        arrived.forEach(r -> macs.add(r.senderMac() != 0 ? r.senderMac() : r.srcMac()));
        Endpoint shim = j.t().shim();
        Frame reply = arrived.get(0);
        if (macs.size() > 1) {
            return CheckResult.fail(id, host + " is claimed by " + macs.size() + " MACs ("
                    + macs.stream().map(j.t()::nameOfMac).collect(Collectors.joining(", ")) + "): another device "
                    + "answers for the host's address", concat(List.of(req), arrived));
        }
        long mac = macs.iterator().next();
        if (shim == null) {
            return CheckResult.fail(id, host + " is-at " + j.t().nameOfMac(mac) + ": there is no shim",
                    List.of(req, reply));
        }
        if (shim.mac() == 0) {
            return CheckResult.unproven(id, host + " is-at " + Mac.format(mac) + ", but the shim's MAC is not known: "
                    + "give --shim-mac or --facts", List.of(req, reply));
        }
        if (mac == shim.mac()) {
            String where = reply.point().role() == CONTAINER ? "" : " (seen at " + place(reply)
                    + "; the container's interface was not captured)";
            return CheckResult.pass(id, host + " is-at " + shim.macText() + ": the shim answers for the parent's "
                    + "address (" + what + ")" + where, List.of(req, reply));
        }
        return CheckResult.fail(id, host + " is-at " + j.t().nameOfMac(mac) + ", not the shim's MAC",
                List.of(req, reply));
    }

    static CheckResult containerIcmp(Judged j) {
        CheckId id = j.id(CheckId.Kind.CONTAINER_ICMP);
        if (j.a().host() == null) {
            return CheckResult.unproven(id, HOST_UNKNOWN);
        }
        Exchange e = j.p().containerEcho();
        ProbeOutcome.Socket s = j.o().container();
        String host = j.host();
        if (e == null || e.requests().isEmpty()) {
            if (s.sendError() != null) {
                return CheckResult.fail(id, "the container's kernel refused to send the echo to " + host + ": "
                        + s.sendError(), List.of());
            }
            Exchange res = j.p().containerKernelResolve(j.a());
            if (res == null && j.p().containerResolve() != null && j.p().containerResolve().replies().isEmpty()) {
                res = j.p().containerResolve();
            }
            if (res != null && res.replies().isEmpty() && !res.requests().isEmpty()) {
                if (j.c().whole(CONTAINER) || Boolean.FALSE.equals(s.gotReply())) {
                    return CheckResult.fail(id, "no echo request to " + host + " left the container: it cannot "
                            + "resolve " + host + " (its " + j.resolution() + " got no answer)", res.requests());
                }
                return CheckResult.unproven(id, "the container's " + j.resolution() + " for " + host + " was seen "
                        + "unanswered, but " + j.c().gap(CONTAINER), res.requests());
            }
            if (Boolean.TRUE.equals(s.gotReply())) {
                return CheckResult.unproven(id, "the probing socket got the reply from " + host
                        + ", but no frame of the exchange was captured");
            }
            if (Boolean.FALSE.equals(s.gotReply()) && j.c().whole(CONTAINER)) {
                return CheckResult.fail(id, "the container got no reply from " + host + ", and neither its echo "
                        + "request nor a " + j.resolution() + " for " + host + " left its interface (captured whole): "
                        + "its kernel sent nothing", List.of());
            }
            return CheckResult.unproven(id, "the captures hold no echo from the container to " + host);
        }
        Frame req = e.requests().get(0);
        Frame atCtr = e.replies().stream().filter(PathChecks::atContainerSide)
                .min(java.util.Comparator.comparing(x -> x.point().role() == CONTAINER ? 0 : 1)).orElse(null);
        if (atCtr != null) {
            String where = atCtr.point().role() == CONTAINER ? "" : " (seen at the parent's tap on its way to the "
                    + "container; its interface was not captured)";
            if (s.gotReply() == null || s.gotReply()) {
                return CheckResult.pass(id, "the container got the echo reply from " + host + where,
                        List.of(req, atCtr));
            }
            if (s.drops() > 0) {
                return CheckResult.pass(id, "the echo reply from " + host + " reached the container" + where
                        + "; the probing socket missed it (its queue dropped " + s.drops() + " packets)",
                        List.of(req, atCtr));
            }
            if (late(atCtr, s)) {
                return CheckResult.fail(id, "no reply from " + host + " in time: one came only "
                        + millis(atCtr.timeNs() - req.timeNs()) + " after the request, when the probe had stopped "
                        + "waiting (--probe-timeout)", List.of(req, atCtr));
            }
            return CheckResult.fail(id, "the echo reply from " + host + " reached " + place(atCtr) + " but the "
                    + "container's stack never delivered it: its kernel dropped it in between (netfilter, rp_filter)",
                    List.of(req, atCtr));
        }
        if (!e.replies().isEmpty()) {
            if (j.c().whole(CONTAINER)) {
                return CheckResult.fail(id, "the host answered but the reply never reached the container (seen "
                        + seen(e.replies()) + ")", concat(e.requests(), e.replies()));
            }
            if (Boolean.TRUE.equals(s.gotReply())) {
                return CheckResult.pass(id, "the host answered (seen " + seen(e.replies()) + ") and the container "
                        + "got the reply", concat(List.of(req), e.replies()));
            }
            return CheckResult.unproven(id, "the host answered (seen " + seen(e.replies()) + "), but "
                    + j.c().gap(CONTAINER), concat(List.of(req), e.replies()));
        }
        boolean reachedHost = e.requests().stream().anyMatch(PathChecks::atHostSide);
        if (hostSideWhole(j.c()) || Boolean.FALSE.equals(s.gotReply())) {
            return CheckResult.fail(id, "the echo request was seen " + seen(e.requests()).substring(3)
                    + (reachedHost ? " and never answered" : " and never reached the host"), e.requests());
        }
        return CheckResult.unproven(id, "the echo request was seen " + seen(e.requests()).substring(3)
                + " and no reply, but the host's side was not captured whole", e.requests());
    }

    static CheckResult parentTap(Judged j) {
        CheckId id = j.id(CheckId.Kind.PARENT_TAP);
        if (!j.c().saw(PARENT)) {
            return CheckResult.unproven(id, "the parent was not captured");
        }
        Exchange e = j.p().hostEcho();
        if (e == null || e.requests().isEmpty() || e.replies().isEmpty()) {
            return CheckResult.unproven(id, "no complete host-to-container echo to look at");
        }
        String parent = j.t().parent().name();
        List<Frame> atParent = concat(e.requests(), e.replies()).stream().filter(x -> x.point().role() == PARENT)
                .toList();
        if (atParent.stream().anyMatch(x -> x.direction() == UNKNOWN)) {
            return CheckResult.unproven(id, parent + " saw the exchange, but the capture does not record which way: "
                    + "give --facts (the MACs tell ingress from egress) or capture with parent-in/parent-out",
                    atParent);
        }
        boolean reqIn = e.requestSeenAt(PARENT, IN);
        boolean repIn = e.replySeenAt(PARENT, IN);
        List<Frame> out = atParent.stream().filter(x -> x.direction() == OUT).toList();
        if (reqIn && repIn && out.isEmpty()) {
            if (!j.c().whole(PARENT)) {
                return CheckResult.unproven(id, parent + " saw the echo request and reply as ingress, but "
                        + j.c().gap(PARENT) + ": that none left through it cannot be shown", atParent);
            }
            return CheckResult.pass(id, parent + " saw the echo request and reply as ingress only "
                    + "(bridge-mode macvlan hands frames between children to the parent's taps)", atParent);
        }
        List<String> problems = new ArrayList<>();
        if (!reqIn) {
            problems.add("the request was not seen as ingress");
        }
        if (!repIn) {
            problems.add("the reply was not seen as ingress");
        }
        if (!out.isEmpty()) {
            problems.add(out.size() + " of them left through it (egress)");
        }
        if (out.isEmpty() && !j.c().whole(PARENT)) {
            return CheckResult.unproven(id, parent + ": " + String.join(", ", problems) + ", but "
                    + j.c().gap(PARENT), atParent);
        }
        return CheckResult.fail(id, parent + ": " + String.join(", ", problems), atParent);
    }

    static CheckResult staysOnHost(Judged j) {
        CheckId id = j.id(CheckId.Kind.STAYS_ON_HOST);
        Set<Frame> leaks = new LinkedHashSet<>();
        int unicast = 0;
        boolean directionsKnown = true;
        for (Exchange e : j.p().present()) {
            for (Frame x : concat(e.requests(), e.replies())) {
                if (!x.isUnicast()) {
                    continue;
                }
                unicast++;
                if ((x.point().role() == PARENT || x.point().role() == WIRE) && x.direction() == UNKNOWN) {
                    directionsKnown = false;
                }
                if (x.seenAt(PARENT, OUT) || x.seenAt(WIRE, IN)) {
                    leaks.add(x);
                }
            }
        }
        if (!leaks.isEmpty()) {
            Frame first = leaks.iterator().next();
            return CheckResult.fail(id, leaks.size() + " unicast frame" + (leaks.size() == 1 ? "" : "s")
                    + " left the host, e.g. " + first.summary() + " to " + j.t().nameOfMac(first.dstMac()) + " at "
                    + place(first), List.copyOf(leaks));
        }
        if (unicast == 0) {
            return CheckResult.unproven(id, "no unicast frame between host and container was seen: nothing to judge");
        }
        boolean parent = j.c().whole(PARENT) && directionsKnown;
        boolean wire = j.c().whole(WIRE) && directionsKnown;
        if (!parent && !wire) {
            String why = !directionsKnown ? "the captures do not record which way frames went (give --facts)"
                    : j.c().gap(PARENT) + " and " + j.c().gap(WIRE);
            return CheckResult.unproven(id, "no leak was seen, but " + why);
        }
        String where = (parent ? j.t().parent().name() + " egress" : "") + (parent && wire ? " and " : "")
                + (wire ? "the wire" : "");
        return CheckResult.pass(id, "no unicast frame between host and container left the host (" + where
                + " checked)", List.of());
    }

    private static String captured(Coverage c) {
        return c.captured().stream().map(r -> r.id()).collect(Collectors.joining(", "));
    }

    /** The request as the container received it, else as it left the host, else wherever it was seen. */
    private static Frame hostRequestAsSent(Exchange e) {
        if (e == null || e.requests().isEmpty()) {
            return null;
        }
        for (Frame x : e.requests()) {
            if (x.point().role() == CONTAINER) {
                return x;
            }
        }
        for (Frame x : e.requests()) {
            if (x.direction() == OUT || x.point().role() == SHIM) {
                return x;
            }
        }
        return e.requests().get(0);
    }

    public static String place(Frame x) {
        return x.point().name() + (x.direction() == UNKNOWN ? "" : " " + x.direction().word());
    }

    /** "at host:ens33 egress, lan:gw0 ingress" */
    public static String seen(List<Frame> frames) {
        return "at " + frames.stream().map(PathChecks::place).distinct().collect(Collectors.joining(", "));
    }

    /** A reply captured after the probing socket had stopped waiting for it. */
    private static boolean late(Frame reply, ProbeOutcome.Socket s) {
        return s.gaveUpNs() > 0 && reply.timeNs() > s.gaveUpNs();
    }

    static String millis(long ns) {
        return rounded(ns, 1_000_000) + " ms";
    }

    static String micros(long ns) {
        return rounded(ns, 1_000) + " µs";
    }

    /**
     * ns in whole units, half away from zero (as %.0f rounds): by hand, since String.format's parser and formatter
     * cost a verify milliseconds at its first use.
     */
    static long rounded(long ns, long unit) {
        long q = Math.abs(ns) / unit;
        if (2 * (Math.abs(ns) % unit) >= unit) {
            q++;
        }
        return ns < 0 ? -q : q;
    }

    public static List<Frame> concat(List<Frame> a, List<Frame> b) {
        List<Frame> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
