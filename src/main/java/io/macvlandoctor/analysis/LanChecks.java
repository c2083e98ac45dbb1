package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.CONTAINER;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The container's path to the LAN, judged on frames as the host path is: for each LAN peer (its gateway,
 * --lan-ip) whether the container's resolution and echo were answered, whether its frames left through the parent
 * with its own MAC, and whether the answers to that MAC came in through the parent to the container. The host's own
 * question to the same peer (from the parent's MAC) is kept beside it: a peer that answers the host but not the
 * container drops the container's MAC. Absence proves only at points captured whole. Pure.
 */
public final class LanChecks {
    private LanChecks() {
    }

    /**
     * One LAN peer's exchanges.
     *
     * @param resolve the container's resolution of the peer (our request), or null
     * @param hostAsk the host's resolution of the peer from the parent's MAC (our request), or null
     * @param echo the container's echo to the peer, or null
     */
    public record Peer(IpAddress peer, Exchange resolve, Exchange hostAsk, Exchange echo) {
    }

    /** The LAN peers of one family and the checks on them; empty when the family has no LAN peer. */
    public record Result(List<Peer> peers, List<CheckResult> checks) {
        public static final Result NONE = new Result(List.of(), List.of());

        public Result {
            peers = List.copyOf(peers);
            checks = List.copyOf(checks);
        }

        public boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL);
        }

        public List<Phase.Labelled> labelled(Family f) {
            String v6 = f == Family.V6 ? " (IPv6)" : "";
            List<Phase.Labelled> l = new ArrayList<>();
            for (int i = 0; i < peers.size(); i++) {
                Peer p = peers.get(i);
                String who = (i == 0 ? "its gateway " : "") + p.peer();
                l.add(new Phase.Labelled("container resolves " + who + v6, p.resolve()));
                l.add(new Phase.Labelled("host resolves " + p.peer() + " (from the parent's MAC)" + v6,
                        p.hostAsk()));
                l.add(new Phase.Labelled("container -> " + who + v6, p.echo()));
            }
            return l;
        }
    }

    public static Result evaluate(Topology t, Topology.Addressing a, Coverage c, ProbeIds ids,
                                  List<Exchange> all) {
        if (a.lan().isEmpty()) {
            return Result.NONE;
        }
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < a.lan().size(); i++) {
            Peer p = select(t, a, a.lan().get(i), i, ids, all);
            // Someone else's capture (no probe ids) is judged on the LAN only where it holds a question to the
            // peer: a capture of ping and arping between host and container says nothing of the LAN.
            if (ids != null || asked(p)) {
                peers.add(p);
            }
        }
        if (peers.isEmpty()) {
            return Result.NONE;
        }
        List<CheckResult> checks = List.of(resolve(t, a, c, peers), echo(a, c, peers), srcMac(t, a, c, peers),
                reply(t, a, c, peers));
        return new Result(peers, checks);
    }

    static Peer select(Topology t, Topology.Addressing a, IpAddress peer, int index, ProbeIds ids,
                       List<Exchange> all) {
        Family f = a.family();
        Predicate<Exchange> asked = e -> e.requests().stream().anyMatch(r -> ProbeExchanges.asked(r, f, ids));
        Predicate<Exchange> resolve = e -> e.kind() == Exchange.Kind.RESOLVE && e.responder().equals(peer)
                && e.requester().equals(a.container());
        Predicate<Exchange> hostAsk = e -> e.kind() == Exchange.Kind.RESOLVE && e.responder().equals(peer)
                && a.host() != null && e.requester().equals(a.host());
        Predicate<Exchange> echo = e -> e.kind() == Exchange.Kind.ECHO && e.responder().equals(peer)
                && e.requester().equals(a.container())
                && (ids == null || e.icmpId() == ids.icmpId() && e.icmpSeq() == ProbeIds.SEQ_LAN + index);
        return new Peer(peer, pick(all, resolve.and(asked), ids), pick(all, hostAsk.and(asked), ids),
                pick(all, echo, ids));
    }

    private static boolean asked(Peer p) {
        return p.resolve() != null || p.echo() != null;
    }

    /** With ids our probe (the first); without (someone else's capture), the latest. */
    private static Exchange pick(List<Exchange> all, Predicate<Exchange> p, ProbeIds ids) {
        Exchange found = null;
        for (Exchange e : all) {
            if (p.test(e)) {
                if (ids != null) {
                    return e;
                }
                found = e;
            }
        }
        return found;
    }

    private static CheckId id(CheckId.Kind k, Topology.Addressing a) {
        return CheckId.of(k, a.family());
    }

    /** Where a request was seen on its way out: the container, the parent's egress, the LAN (the lab's wire). */
    static String way(Exchange e) {
        List<String> at = new ArrayList<>();
        for (Frame f : e.requests()) {
            at.add(PathChecks.place(f));
        }
        return String.join(", ", at.stream().distinct().toList());
    }

    private static boolean left(Exchange e) {
        return e != null && e.requests().stream().anyMatch(f -> f.seenAt(PARENT, OUT) || f.seenAt(WIRE, IN));
    }

    private static boolean answeredAtContainer(Exchange e) {
        return e != null && e.replies().stream().anyMatch(f -> f.seenAt(CONTAINER, IN));
    }

    /** The combined status of the peers: any failure fails, all passed passes, else unproven. */
    private static CheckResult combine(CheckId id, List<CheckResult> each) {
        List<Frame> evidence = new ArrayList<>();
        each.forEach(r -> evidence.addAll(r.evidence()));
        String summary = String.join("; ", each.stream().map(CheckResult::summary).toList());
        if (each.stream().anyMatch(r -> r.status() == CheckStatus.FAIL)) {
            return CheckResult.fail(id, summary, each.stream().filter(r -> r.status() == CheckStatus.FAIL)
                    .flatMap(r -> r.evidence().stream()).toList());
        }
        if (each.stream().allMatch(r -> r.status() == CheckStatus.PASS)) {
            return CheckResult.pass(id, summary, evidence);
        }
        return CheckResult.unproven(id, summary, evidence);
    }

    static CheckResult resolve(Topology t, Topology.Addressing a, Coverage c, List<Peer> peers) {
        CheckId id = id(CheckId.Kind.LAN_RESOLVE, a);
        String what = a.family() == Family.V4 ? "ARP request" : "neighbour solicitation";
        List<CheckResult> each = new ArrayList<>();
        for (Peer p : peers) {
            Exchange e = p.resolve();
            if (answeredAtContainer(e)) {
                Frame reply = e.replies().stream().filter(f -> f.seenAt(CONTAINER, IN)).findFirst().orElseThrow();
                each.add(CheckResult.pass(id, p.peer() + " is-at " + Mac.format(reply.senderMac())
                        + ", answered to the container", PathChecks.concat(e.requests(), List.of(reply))));
            } else if (e == null || e.requests().isEmpty()) {
                each.add(CheckResult.unproven(id, "the container's " + what + " for " + p.peer()
                        + " was not seen"));
            } else if (c.whole(CONTAINER)) {
                each.add(CheckResult.fail(id, "the container's " + what + " for " + p.peer() + " got no answer "
                        + "(seen at " + way(e) + ")", e.requests()));
            } else {
                each.add(CheckResult.unproven(id, "no answer to the container's " + what + " for " + p.peer()
                        + " was seen, but " + c.gap(CONTAINER), e.requests()));
            }
        }
        return combine(id, each);
    }

    static CheckResult echo(Topology.Addressing a, Coverage c, List<Peer> peers) {
        CheckId id = id(CheckId.Kind.LAN_ICMP, a);
        List<CheckResult> each = new ArrayList<>();
        for (Peer p : peers) {
            Exchange e = p.echo();
            if (answeredAtContainer(e)) {
                each.add(CheckResult.pass(id, "the container got the echo reply from " + p.peer(),
                        PathChecks.concat(e.requests(), e.replies())));
            } else if (e == null || e.requests().isEmpty()) {
                each.add(CheckResult.unproven(id, "no echo from the container to " + p.peer() + " was seen"
                        + (answeredAtContainer(p.resolve()) ? "" : " (it is sent once the resolution is answered)")));
            } else if (c.whole(CONTAINER)) {
                each.add(CheckResult.fail(id, "the container's echo to " + p.peer() + " got no reply (seen at "
                        + way(e) + ")", e.requests()));
            } else {
                each.add(CheckResult.unproven(id, "no reply to the container's echo to " + p.peer()
                        + " was seen, but " + c.gap(CONTAINER), e.requests()));
            }
        }
        return combine(id, each);
    }

    /** The container's requests to the LAN, as the parent sent them: with the container's own source MAC. */
    static CheckResult srcMac(Topology t, Topology.Addressing a, Coverage c, List<Peer> peers) {
        CheckId id = id(CheckId.Kind.LAN_SRC_MAC, a);
        long mine = t.container().mac();
        List<Frame> out = new ArrayList<>();
        for (Peer p : peers) {
            for (Exchange e : new Exchange[] {p.resolve(), p.echo()}) {
                if (e != null) {
                    e.requests().stream().filter(f -> f.seenAt(PARENT, OUT) || f.seenAt(WIRE, IN)).forEach(out::add);
                }
            }
        }
        if (mine == 0) {
            return CheckResult.unproven(id, "the container's MAC is not known (give --facts)");
        }
        List<Frame> other = out.stream().filter(f -> f.srcMac() != mine).toList();
        if (!other.isEmpty()) {
            Frame f = other.get(0);
            return CheckResult.fail(id, "the container's frame left " + PathChecks.place(f) + " with source MAC "
                    + Mac.format(f.srcMac()) + ", not the container's " + Mac.format(mine), other);
        }
        if (!out.isEmpty()) {
            return CheckResult.pass(id, "the container's frames left through " + t.parent().name() + " with its own "
                    + "MAC " + Mac.format(mine), out);
        }
        return CheckResult.unproven(id, c.whole(PARENT) ? "no frame of the container's to the LAN left the parent"
                : "the parent was not captured whole: " + c.gap(PARENT));
    }

    /**
     * The answers to the container's MAC: in at the parent and on to the container, not to the shim. A reply that
     * reached the parent and not the container was lost in the host; one that never reached the parent, beyond it.
     */
    static CheckResult reply(Topology t, Topology.Addressing a, Coverage c, List<Peer> peers) {
        CheckId id = id(CheckId.Kind.LAN_REPLY, a);
        long mine = t.container().mac();
        List<CheckResult> each = new ArrayList<>();
        for (Peer p : peers) {
            List<Frame> replies = new ArrayList<>();
            for (Exchange e : new Exchange[] {p.resolve(), p.echo()}) {
                if (e != null) {
                    replies.addAll(e.replies());
                }
            }
            List<Frame> atParent = replies.stream().filter(f -> f.seenAt(PARENT, IN) && f.dstMac() == mine).toList();
            List<Frame> atCtr = replies.stream().filter(f -> f.seenAt(CONTAINER, IN)).toList();
            List<Frame> atShim = replies.stream().filter(f -> f.seenAt(SHIM, IN) && f.dstMac() == mine).toList();
            if (!atShim.isEmpty()) {
                each.add(CheckResult.fail(id, "the answer from " + p.peer() + " to the container's MAC went to the "
                        + "shim", atShim));
            } else if (!atCtr.isEmpty()) {
                each.add(CheckResult.pass(id, "the answers from " + p.peer() + " entered through "
                        + t.parent().name() + " and reached the container", PathChecks.concat(atParent, atCtr)));
            } else if (!atParent.isEmpty() && c.whole(CONTAINER)) {
                each.add(CheckResult.fail(id, "the answer from " + p.peer() + " reached " + t.parent().name()
                        + " but not the container", atParent));
            } else if (left(p.resolve()) && c.whole(PARENT) && c.whole(CONTAINER)) {
                each.add(CheckResult.fail(id, "no answer from " + p.peer() + " came back to " + t.parent().name()
                        + " for the container's MAC " + Mac.format(mine), p.resolve().requests()));
            } else {
                each.add(CheckResult.unproven(id, "no answer from " + p.peer() + " to the container was seen"));
            }
        }
        return combine(id, each);
    }

    /** Whether the host's question from the parent's own MAC to the peer was answered there. */
    public static boolean hostAnswered(Peer p) {
        return p.hostAsk() != null && p.hostAsk().replies().stream().anyMatch(f -> f.seenAt(PARENT, IN));
    }

    /**
     * Whether the container's question left the host (the parent's egress, or the LAN's ingress in the lab) and
     * nothing came back for it, to the parent or to the container.
     */
    public static boolean unanswered(Peer p) {
        return left(p.resolve()) && p.resolve().replies().stream()
                .noneMatch(f -> f.seenAt(PARENT, IN) || f.seenAt(CONTAINER, IN));
    }
}
