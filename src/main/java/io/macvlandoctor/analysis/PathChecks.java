package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Direction.UNKNOWN;
import static io.macvlandoctor.model.Role.CONTAINER;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeOutcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks of DESIGN §4: the documented path, judged frame by frame against the kernel's facts.
 * Pure: frames, facts and socket outcomes in, results out.
 */
public final class PathChecks {
    public static final String ISOLATION = "isolation.host-to-container";
    public static final String HOST_ICMP = "host-to-container.icmp";
    public static final String HOST_SRC_MAC = "host-to-container.src-mac-is-shim";
    public static final String HOST_SRC_IP = "host-to-container.src-ip";
    public static final String HOST_REPLY_VIA_SHIM = "host-to-container.reply-via-shim";
    public static final String CONTAINER_ARP_FLUX = "container-to-host.arp-flux";
    public static final String CONTAINER_ICMP = "container-to-host.icmp";
    public static final String PARENT_TAP = "path.parent-tap";
    public static final String STAYS_ON_HOST = "path.stays-on-host";

    public static final List<String> IDS = List.of(ISOLATION, HOST_ICMP, HOST_SRC_MAC, HOST_SRC_IP,
            HOST_REPLY_VIA_SHIM, CONTAINER_ARP_FLUX, CONTAINER_ICMP, PARENT_TAP, STAYS_ON_HOST);

    private PathChecks() {
    }

    /** Every check but the isolation one, which needs a run before the setup. */
    public static List<CheckResult> evaluate(PathFacts f, ProbeExchanges p, ProbeOutcome o) {
        List<CheckResult> out = new ArrayList<>();
        out.add(hostIcmp(f, p, o));
        out.add(hostSrcMac(f, p));
        out.add(hostSrcIp(f, p));
        out.add(hostReplyViaShim(f, p));
        out.add(arpFlux(f, p));
        out.add(containerIcmp(f, p, o));
        out.add(parentTap(f, p));
        out.add(staysOnHost(f, p));
        return out;
    }

    /** The article's problem, shown: before the fix, the host cannot reach the container. */
    public static CheckResult isolation(CheckResult hostIcmpBefore, PathFacts before) {
        String ctr = before.container().ipText();
        if (hostIcmpBefore.status() == CheckStatus.FAIL) {
            return CheckResult.pass(ISOLATION, "before the fix the host could not reach " + ctr + ": "
                    + hostIcmpBefore.summary(), hostIcmpBefore.evidence());
        }
        return CheckResult.skip(ISOLATION, "the host already reached " + ctr + " before setup: nothing to show");
    }

    public static boolean passed(List<CheckResult> checks) {
        return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
    }

    static CheckResult hostIcmp(PathFacts f, ProbeExchanges p, ProbeOutcome o) {
        String ctr = f.container().ipText();
        Exchange e = p.hostEcho();
        if (e == null || e.requests().isEmpty()) {
            if (Boolean.TRUE.equals(o.hostGotReply())) {
                return CheckResult.pass(HOST_ICMP, "the host got the echo reply from " + ctr, List.of());
            }
            if (o.hostGotReply() == null && (p.hostArp() == null || !p.hostArp().replies().isEmpty())) {
                return CheckResult.skip(HOST_ICMP, "the captures hold no echo from the host to " + ctr);
            }
            return CheckResult.fail(HOST_ICMP, "no echo request to " + ctr + " was sent: " + whyNoRequest(f, p),
                    arpEvidence(p.hostArp()));
        }
        boolean hostSidePoints = f.captured().contains(SHIM) || f.captured().contains(PARENT);
        boolean got = o.hostGotReply() != null ? o.hostGotReply()
                : e.replies().stream().anyMatch(r -> !hostSidePoints
                        || (r.point().role() == SHIM || r.point().role() == PARENT) && r.direction() != OUT);
        Frame req = e.requests().get(0);
        if (got && !hostSidePoints && o.hostGotReply() == null) {
            return CheckResult.pass(HOST_ICMP, "the container answered the echo from " + Ipv4.format(req.srcIp())
                    + " (the host's side was not captured)", concat(List.of(req), e.replies()));
        }
        if (got) {
            Frame rep = lastReplyTowardsHost(e);
            String rtt = rep == null ? "" : " (" + micros(rep.timeNs() - req.timeNs()) + " after the request)";
            return CheckResult.pass(HOST_ICMP, "the host got the echo reply from " + ctr + rtt,
                    rep == null ? List.of(req) : List.of(req, rep));
        }
        if (!e.replies().isEmpty()) {
            return CheckResult.fail(HOST_ICMP, "the container answered, but the reply never reached the host's "
                    + "stack (last seen " + seen(e.replies()) + ")", concat(List.of(req), e.replies()));
        }
        if (e.requestSeenAt(CONTAINER, IN) || e.requestSeenAt(CONTAINER, UNKNOWN)) {
            return CheckResult.fail(HOST_ICMP, "the echo request reached the container but it did not answer",
                    e.requests());
        }
        return CheckResult.fail(HOST_ICMP, "the echo request never reached the container (seen only "
                + seen(e.requests()) + ")", e.requests());
    }

    private static String whyNoRequest(PathFacts f, ProbeExchanges p) {
        Exchange arp = p.hostArp();
        if (arp != null && arp.replies().isEmpty()) {
            return "the host's ARP request for " + f.container().ipText() + " got no answer (seen "
                    + seen(arp.requests()) + ")";
        }
        if (f.routeDev() == null && f.expectedSrcIp() == 0) {
            return "the host has no route to it";
        }
        return "nothing was seen leaving the host for it";
    }

    static CheckResult hostSrcMac(PathFacts f, ProbeExchanges p) {
        Frame req = hostRequestAsSent(p.hostEcho());
        if (req == null) {
            return CheckResult.skip(HOST_SRC_MAC, "no echo request from the host was seen");
        }
        Endpoint shim = f.shim();
        if (shim == null) {
            return CheckResult.fail(HOST_SRC_MAC, "there is no shim: the request was sent from "
                    + f.nameOfMac(req.srcMac()), List.of(req));
        }
        if (req.srcMac() == shim.mac()) {
            return CheckResult.pass(HOST_SRC_MAC, "source MAC " + Mac.format(req.srcMac()) + " is the shim's ("
                    + shim.name() + "), seen at " + place(req), List.of(req));
        }
        return CheckResult.fail(HOST_SRC_MAC, "source MAC is " + f.nameOfMac(req.srcMac()) + ", not the shim's "
                + shim.macText() + " (seen at " + place(req) + ")", List.of(req));
    }

    static CheckResult hostSrcIp(PathFacts f, ProbeExchanges p) {
        Frame req = hostRequestAsSent(p.hostEcho());
        if (req == null) {
            return CheckResult.skip(HOST_SRC_IP, "no echo request from the host was seen");
        }
        int expected = f.expectedSrcIp() != 0 ? f.expectedSrcIp() : f.parent().ip();
        if (expected == 0) {
            return CheckResult.skip(HOST_SRC_IP, "the expected source address is not known");
        }
        String why = f.expectedSrcIp() != 0 ? "the kernel's choice (ip route get " + f.container().ipText() + ": src "
                + Ipv4.format(expected) + (f.routeDev() == null ? "" : " dev " + f.routeDev()) + ")"
                : "the parent's address";
        if (req.srcIp() == expected) {
            return CheckResult.pass(HOST_SRC_IP, "source IP " + Ipv4.format(req.srcIp()) + " is " + why,
                    List.of(req));
        }
        return CheckResult.fail(HOST_SRC_IP, "source IP " + Ipv4.format(req.srcIp()) + " is not " + why,
                List.of(req));
    }

    static CheckResult hostReplyViaShim(PathFacts f, ProbeExchanges p) {
        Exchange e = p.hostEcho();
        if (e == null || e.requests().isEmpty()) {
            return CheckResult.skip(HOST_REPLY_VIA_SHIM, "no echo request from the host was seen");
        }
        if (e.replies().isEmpty()) {
            boolean reached = e.requestSeenAt(CONTAINER, IN) || e.requestSeenAt(CONTAINER, UNKNOWN);
            return reached ? CheckResult.fail(HOST_REPLY_VIA_SHIM, "the container did not answer", e.requests())
                    : CheckResult.skip(HOST_REPLY_VIA_SHIM, "the echo request never reached the container");
        }
        if (!f.captured().contains(SHIM) && f.shim() != null) {
            return CheckResult.skip(HOST_REPLY_VIA_SHIM, "the shim was not captured");
        }
        Frame r = f.shim() == null ? null : e.replies().stream()
                .filter(x -> x.point().role() == SHIM && x.direction() != OUT && x.dstMac() == f.shim().mac())
                .findFirst().orElse(null);
        if (r != null) {
            return CheckResult.pass(HOST_REPLY_VIA_SHIM, "the echo reply was addressed to the shim's MAC "
                    + f.shim().macText() + " and entered the host through " + f.shim().name(), List.of(r));
        }
        Frame any = e.replies().get(0);
        return CheckResult.fail(HOST_REPLY_VIA_SHIM, "the echo reply was addressed to " + f.nameOfMac(any.dstMac())
                + " and seen " + seen(e.replies()) + ", not entering through the shim", e.replies());
    }

    static CheckResult arpFlux(PathFacts f, ProbeExchanges p) {
        Exchange e = p.containerArp();
        String host = Ipv4.format(f.hostIp());
        if (e == null || e.requests().isEmpty()) {
            return CheckResult.skip(CONTAINER_ARP_FLUX, "no ARP request from the container for " + host + " was seen");
        }
        Frame reply = e.replies().stream().filter(r -> r.point().role() == CONTAINER && r.direction() != OUT)
                .findFirst().orElse(e.replies().isEmpty() ? null : e.replies().get(0));
        if (reply == null) {
            return CheckResult.fail(CONTAINER_ARP_FLUX, "nothing answered the container's who-has " + host
                    + " (the request was seen " + seen(e.requests()) + ")", e.requests());
        }
        if (f.shim() != null && reply.arpSenderMac() == f.shim().mac()) {
            return CheckResult.pass(CONTAINER_ARP_FLUX, host + " is-at " + f.shim().macText()
                    + ": the shim answers for the parent's address (ARP flux)", List.of(e.requests().get(0), reply));
        }
        return CheckResult.fail(CONTAINER_ARP_FLUX, host + " is-at " + f.nameOfMac(reply.arpSenderMac())
                + ", not the shim's MAC", List.of(e.requests().get(0), reply));
    }

    static CheckResult containerIcmp(PathFacts f, ProbeExchanges p, ProbeOutcome o) {
        Exchange e = p.containerEcho();
        String host = Ipv4.format(f.hostIp());
        boolean got = o.containerGotReply() != null ? o.containerGotReply()
                : e != null && e.replies().stream().anyMatch(r -> r.point().role() != CONTAINER || r.direction() != OUT);
        if (got) {
            Frame rep = e == null || e.replies().isEmpty() ? null : e.replies().get(e.replies().size() - 1);
            return CheckResult.pass(CONTAINER_ICMP, "the container got the echo reply from " + host,
                    e == null ? List.of() : concat(e.requests().subList(0, Math.min(1, e.requests().size())),
                            rep == null ? List.of() : List.of(rep)));
        }
        if (e == null || e.requests().isEmpty()) {
            Exchange arp = p.containerKernelArp(f);
            if (arp == null && p.containerArp() != null && p.containerArp().replies().isEmpty()) {
                arp = p.containerArp();
            }
            if (o.containerGotReply() == null && (arp == null || !arp.replies().isEmpty())) {
                return CheckResult.skip(CONTAINER_ICMP, "the captures hold no echo from the container to " + host);
            }
            String why = arp != null && arp.replies().isEmpty() ? "it cannot resolve " + host + " (its ARP request "
                    + "got no answer)" : "it sent none";
            return CheckResult.fail(CONTAINER_ICMP, "no echo request to " + host + " left the container: " + why,
                    arpEvidence(arp));
        }
        if (!e.replies().isEmpty()) {
            return CheckResult.fail(CONTAINER_ICMP, "the host answered but the reply never reached the container "
                    + "(seen " + seen(e.replies()) + ")", concat(e.requests(), e.replies()));
        }
        return CheckResult.fail(CONTAINER_ICMP, "the echo request was seen " + seen(e.requests())
                + " and never answered", e.requests());
    }

    static CheckResult parentTap(PathFacts f, ProbeExchanges p) {
        if (!f.captured().contains(PARENT)) {
            return CheckResult.skip(PARENT_TAP, "the parent was not captured");
        }
        Exchange e = p.hostEcho();
        if (e == null || e.requests().isEmpty() || e.replies().isEmpty()) {
            return CheckResult.skip(PARENT_TAP, "no complete host-to-container echo to look at");
        }
        String parent = f.parent().name();
        List<Frame> atParent = concat(e.requests(), e.replies()).stream().filter(x -> x.point().role() == PARENT)
                .toList();
        if (atParent.stream().anyMatch(x -> x.direction() == UNKNOWN)) {
            boolean both = e.requests().stream().anyMatch(x -> x.point().role() == PARENT)
                    && e.replies().stream().anyMatch(x -> x.point().role() == PARENT);
            return both ? CheckResult.pass(PARENT_TAP, parent + " saw the echo request and reply (the capture does "
                    + "not record direction)", atParent)
                    : CheckResult.fail(PARENT_TAP, parent + " did not see both the echo request and the reply", atParent);
        }
        boolean reqIn = e.requestSeenAt(PARENT, IN);
        boolean repIn = e.replySeenAt(PARENT, IN);
        List<Frame> out = atParent.stream().filter(x -> x.direction() == OUT).toList();
        if (reqIn && repIn && out.isEmpty()) {
            return CheckResult.pass(PARENT_TAP, parent + " saw the echo request and reply as ingress only "
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
        return CheckResult.fail(PARENT_TAP, parent + ": " + String.join(", ", problems), atParent);
    }

    static CheckResult staysOnHost(PathFacts f, ProbeExchanges p) {
        boolean parent = f.captured().contains(PARENT);
        boolean wire = f.captured().contains(WIRE);
        if (!parent && !wire) {
            return CheckResult.skip(STAYS_ON_HOST, "neither the parent nor the wire was captured");
        }
        Set<Frame> leaks = new LinkedHashSet<>();
        for (Exchange e : exchangesOf(p)) {
            for (Frame x : concat(e.requests(), e.replies())) {
                if (x.isUnicast() && (x.seenAt(PARENT, OUT) || x.seenAt(WIRE, IN))) {
                    leaks.add(x);
                }
            }
        }
        String where = (parent ? f.parent().name() + " egress" : "") + (parent && wire ? " and " : "")
                + (wire ? "the wire" : "");
        if (leaks.isEmpty()) {
            return CheckResult.pass(STAYS_ON_HOST, "no unicast frame between host and container left the host ("
                    + where + " checked)", List.of());
        }
        Frame first = leaks.iterator().next();
        return CheckResult.fail(STAYS_ON_HOST, leaks.size() + " unicast frame" + (leaks.size() == 1 ? "" : "s")
                + " left the host, e.g. " + first.summary() + " to " + f.nameOfMac(first.dstMac()) + " at "
                + place(first), List.copyOf(leaks));
    }

    private static List<Exchange> exchangesOf(ProbeExchanges p) {
        List<Exchange> l = new ArrayList<>();
        for (Exchange e : new Exchange[] {p.hostEcho(), p.hostArp(), p.containerArp(), p.containerEcho()}) {
            if (e != null) {
                l.add(e);
            }
        }
        return l;
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
            if (x.direction() == OUT) {
                return x;
            }
        }
        return e.requests().get(0);
    }

    private static Frame lastReplyTowardsHost(Exchange e) {
        Frame last = null;
        for (Frame r : e.replies()) {
            if (r.point().role() != CONTAINER) {
                last = r;
            }
        }
        return last != null ? last : e.replies().isEmpty() ? null : e.replies().get(e.replies().size() - 1);
    }

    private static List<Frame> arpEvidence(Exchange arp) {
        return arp == null ? List.of() : concat(arp.requests(), arp.replies());
    }

    static String place(Frame x) {
        return x.point().name() + (x.direction() == UNKNOWN ? "" : " " + x.direction().word());
    }

    /** "at host:ens33 egress, lan:gw0 ingress" */
    static String seen(List<Frame> frames) {
        return "at " + frames.stream().map(PathChecks::place).distinct().collect(Collectors.joining(", "));
    }

    static String micros(long ns) {
        return String.format(java.util.Locale.ROOT, "%.0f µs", ns / 1000.0);
    }

    static List<Frame> concat(List<Frame> a, List<Frame> b) {
        List<Frame> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
