package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.CheckStatus.FAIL;
import static io.macvlandoctor.model.CheckStatus.PASS;
import static io.macvlandoctor.model.CheckStatus.UNPROVEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks on frames recorded from the lab, without root: for each check, frames that prove it, frames that
 * disprove it, and frames (or missing facts) that leave it unproven, as docs/checks.md says.
 */
class PathChecksTest {
    /** What the checks of one family are given; each case changes one part. */
    record Input(Topology topology, Family family, Coverage coverage, List<Frame> frames, ProbeOutcome outcome) {
        Input frames(UnaryOperator<List<Frame>> fn) {
            return new Input(topology, family, coverage, fn.apply(frames), outcome);
        }

        Input map(UnaryOperator<Frame> fn) {
            return frames(l -> l.stream().map(fn).toList());
        }

        Input drop(Predicate<Frame> p) {
            return frames(l -> l.stream().filter(p.negate()).toList());
        }

        Input add(Frame f) {
            return frames(l -> {
                List<Frame> c = new ArrayList<>(l);
                c.add(f);
                return c;
            });
        }

        Input coverage(Coverage c) {
            return new Input(topology, family, c, frames, outcome);
        }

        Input outcome(ProbeOutcome o) {
            return new Input(topology, family, coverage, frames, o);
        }

        Input topology(Topology t) {
            return new Input(t, family, coverage, frames, outcome);
        }

        Map<CheckId, CheckResult> results() {
            ProbeExchanges p = ProbeExchanges.select(topology.of(family), null, Correlator.correlate(frames));
            Map<CheckId, CheckResult> m = new LinkedHashMap<>();
            for (CheckResult c : PathChecks.evaluate(topology, family, coverage, p, outcome)) {
                m.put(c.id(), c);
            }
            return m;
        }

        /** The checks of the container's path to the LAN, as analyze judges them (no probe ids). */
        Map<CheckId, CheckResult> lan() {
            LanChecks.Result r = LanChecks.evaluate(topology, topology.of(family), coverage, null,
                    Correlator.correlate(frames));
            Map<CheckId, CheckResult> m = new LinkedHashMap<>();
            r.checks().forEach(c -> m.put(c.id(), c));
            return m;
        }

        CheckStatus lanStatus(CheckId.Kind k) {
            return lan().get(CheckId.of(k, family)).status();
        }

        CheckStatus status(CheckId.Kind k) {
            return results().get(CheckId.of(k, family)).status();
        }

        CheckResult result(CheckId.Kind k) {
            return results().get(CheckId.of(k, family));
        }
    }

    static Input input(String capture, Family f) {
        Recorded r = Recorded.load(capture);
        return new Input(r.topology(), f, r.coverage(), r.frames(), r.outcome(f));
    }

    static Input healthy(Family f) {
        return input(f == Family.V4 ? "healthy" : "dual-stack", f);
    }

    static List<String> captures() {
        return Recorded.names();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void framesWithTheRecordedFactsGiveTheStatusesOfTheLiveRun(String name) {
        Recorded r = Recorded.load(name);
        Map<String, String> offline = new LinkedHashMap<>();
        for (Family f : r.topology().families()) {
            Input in = new Input(r.topology(), f, r.coverage(), r.frames(), r.outcome(f));
            in.results().forEach((k, v) -> offline.put(k.id(), v.status() == UNPROVEN ? "unproven" : v.status().id()));
            in.lan().forEach((k, v) -> offline.put(k.id(), v.status() == UNPROVEN ? "unproven" : v.status().id()));
        }
        assertThat(offline).isEqualTo(r.liveStatuses());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theHealthyPathPassesEveryCheckWithEvidence(Family f) {
        Map<CheckId, CheckResult> m = healthy(f).results();
        assertThat(m).hasSize(8);
        assertThat(m.values()).allMatch(c -> c.status() == PASS);
        m.values().stream().filter(c -> c.id().kind() != CheckId.Kind.STAYS_ON_HOST)
                .forEach(c -> assertThat(c.evidence()).as(c.id().id()).isNotEmpty());
    }

    // ---- host-to-container.icmp ----

    @ParameterizedTest
    @EnumSource(Family.class)
    void hostIcmp(Family f) {
        Input h = healthy(f);
        Predicate<Frame> hostReply = x -> x.kind() == FrameKind.echoReply(f) && x.dstIp().equals(host(h));
        // Disproved: no reply anywhere while the container was captured whole and the socket got none.
        Input noReply = h.drop(hostReply).outcome(new ProbeOutcome(ProbeOutcome.Socket.of(false),
                h.outcome().container()));
        assertThat(noReply.status(CheckId.Kind.HOST_ICMP)).isEqualTo(FAIL);
        assertThat(noReply.result(CheckId.Kind.HOST_ICMP).summary()).contains("did not answer");
        // Disproved: the reply reached the shim, but the host's stack never had it (and its queue dropped nothing).
        Input dropped = h.outcome(new ProbeOutcome(new ProbeOutcome.Socket(false, 0, null), h.outcome().container()));
        assertThat(dropped.status(CheckId.Kind.HOST_ICMP)).isEqualTo(FAIL);
        // ... unless the probing socket's own queue overflowed: the frames show the path worked.
        Input overflow = h.outcome(new ProbeOutcome(new ProbeOutcome.Socket(false, 12, null), h.outcome().container()));
        assertThat(overflow.status(CheckId.Kind.HOST_ICMP)).isEqualTo(PASS);
        assertThat(overflow.result(CheckId.Kind.HOST_ICMP).summary()).contains("probing socket missed it");
        // Unproven: the socket got the reply, but no frame of the exchange was captured.
        Input noFrames = h.drop(x -> x.kind().isEcho() && x.dstIp().equals(ctr(h))
                || x.kind().isEcho() && x.srcIp().equals(ctr(h)) && x.dstIp().equals(host(h))
                && x.icmpSeq() == 1);
        assertThat(noFrames.status(CheckId.Kind.HOST_ICMP)).isEqualTo(UNPROVEN);
        // Unproven: no reply seen, but the container's capture was lost during the run.
        Input lost = h.drop(hostReply).outcome(ProbeOutcome.UNKNOWN).coverage(new Coverage(h.coverage().captured(),
                Set.of(Role.CONTAINER), Map.of()));
        assertThat(lost.status(CheckId.Kind.HOST_ICMP)).isEqualTo(UNPROVEN);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void srcMacIsShim(Family f) {
        Input h = healthy(f);
        long shim = h.topology().shim().mac();
        long parent = h.topology().parent().mac();
        Input fromParent = h.map(x -> x.kind() == FrameKind.echoRequest(f) && x.srcMac() == shim
                ? with(x, parent, x.dstMac(), x.srcIp(), x.dstIp()) : x);
        assertThat(fromParent.status(CheckId.Kind.HOST_SRC_MAC)).isEqualTo(FAIL);
        Input unknown = h.topology(withShimMac(h.topology(), 0));
        assertThat(unknown.status(CheckId.Kind.HOST_SRC_MAC)).isEqualTo(UNPROVEN);
        assertThat(unknown.result(CheckId.Kind.HOST_SRC_MAC).summary()).contains("--shim-mac");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void srcIp(Family f) {
        Input h = healthy(f);
        IpAddress other = host(h).plus(1);
        Input wrong = h.map(x -> x.kind() == FrameKind.echoRequest(f) && x.srcIp().equals(host(h))
                ? with(x, x.srcMac(), x.dstMac(), other, x.dstIp())
                : x.kind() == FrameKind.echoReply(f) && x.dstIp().equals(host(h))
                ? with(x, x.srcMac(), x.dstMac(), x.srcIp(), other) : x);
        assertThat(wrong.status(CheckId.Kind.HOST_SRC_IP)).isEqualTo(FAIL);
        Topology t = h.topology();
        Topology.Addressing a = t.of(f);
        Topology unknown = new Topology(t.parent(), t.shim(), t.container(),
                List.of(new Topology.Addressing(f, a.container(), null, null, null)));
        Input noFacts = h.topology(unknown);
        assertThat(noFacts.status(CheckId.Kind.HOST_SRC_IP)).isEqualTo(UNPROVEN);
        assertThat(noFacts.result(CheckId.Kind.HOST_SRC_IP).summary()).contains("--host-ip");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void replyViaShim(Family f) {
        Input h = healthy(f);
        long shim = h.topology().shim().mac();
        long parent = h.topology().parent().mac();
        Input toParent = h.map(x -> x.kind() == FrameKind.echoReply(f) && x.dstMac() == shim
                ? with(x, x.srcMac(), parent, x.srcIp(), x.dstIp()) : x);
        assertThat(toParent.status(CheckId.Kind.HOST_REPLY_VIA_SHIM)).isEqualTo(FAIL);
        assertThat(h.topology(withShimMac(h.topology(), 0)).status(CheckId.Kind.HOST_REPLY_VIA_SHIM))
                .isEqualTo(UNPROVEN);
        // Seen only at the parent's tap, the shim not captured: the parent's copy addressed to the shim will do.
        Input parentOnly = h.drop(x -> x.point().role() == Role.SHIM).coverage(without(h.coverage(), Role.SHIM));
        assertThat(parentOnly.status(CheckId.Kind.HOST_REPLY_VIA_SHIM)).isEqualTo(PASS);
        assertThat(parentOnly.result(CheckId.Kind.HOST_REPLY_VIA_SHIM).summary()).contains("parent's tap");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void containerResolvesHost(Family f) {
        Input h = healthy(f);
        long shim = h.topology().shim().mac();
        long parent = h.topology().parent().mac();
        Input fromParent = h.map(x -> x.kind() == FrameKind.resolutionReply(f) && x.senderMac() == shim
                ? new Frame(x.point(), x.direction(), x.timeNs(), parent, x.dstMac(), x.kind(), x.srcIp(), x.dstIp(),
                        0, 0, x.token(), parent, x.targetMac(), x.data(), x.originalLength()) : x);
        assertThat(fromParent.status(CheckId.Kind.CONTAINER_RESOLVES_HOST)).isEqualTo(FAIL);
        // An answer seen on the host's side that never reached the container, captured whole: disproved too.
        Input neverArrived = h.drop(x -> x.kind() == FrameKind.resolutionReply(f) && x.point().role() == Role.CONTAINER
                || x.kind() == FrameKind.resolutionReply(f) && x.point().role() == Role.PARENT);
        assertThat(neverArrived.status(CheckId.Kind.CONTAINER_RESOLVES_HOST)).isEqualTo(FAIL);
        Input none = h.drop(x -> x.kind().isResolution() && x.kind().isRequest() && x.dstIp().equals(host(h)));
        assertThat(none.status(CheckId.Kind.CONTAINER_RESOLVES_HOST)).isEqualTo(UNPROVEN);
        assertThat(h.topology(withShimMac(h.topology(), 0)).status(CheckId.Kind.CONTAINER_RESOLVES_HOST))
                .isEqualTo(UNPROVEN);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void containerIcmp(Family f) {
        Input h = healthy(f);
        Predicate<Frame> toCtr = x -> x.kind() == FrameKind.echoReply(f) && x.dstIp().equals(ctr(h))
                && x.icmpSeq() == 2;
        Input noReply = h.drop(toCtr).outcome(new ProbeOutcome(h.outcome().host(), ProbeOutcome.Socket.of(false)));
        assertThat(noReply.status(CheckId.Kind.CONTAINER_ICMP)).isEqualTo(FAIL);
        Input noFrames = h.drop(x -> x.kind().isEcho() && x.icmpSeq() == 2);
        assertThat(noFrames.status(CheckId.Kind.CONTAINER_ICMP)).isEqualTo(UNPROVEN);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void parentTap(Family f) {
        Input h = healthy(f);
        Input egress = h.map(x -> x.point().role() == Role.PARENT && x.kind().isEcho() ? x.withDirection(Direction.OUT)
                : x);
        assertThat(egress.status(CheckId.Kind.PARENT_TAP)).isEqualTo(FAIL);
        Input unknown = h.map(x -> x.point().role() == Role.PARENT ? x.withDirection(Direction.UNKNOWN) : x);
        assertThat(unknown.status(CheckId.Kind.PARENT_TAP)).isEqualTo(UNPROVEN);
        assertThat(unknown.result(CheckId.Kind.PARENT_TAP).summary()).contains("--facts");
        Input dropped = h.coverage(new Coverage(h.coverage().captured(), Set.of(), Map.of(Role.PARENT, 3L)));
        assertThat(dropped.status(CheckId.Kind.PARENT_TAP)).isEqualTo(UNPROVEN);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void staysOnHost(Family f) {
        Input h = healthy(f);
        Frame req = h.frames().stream().filter(x -> x.kind() == FrameKind.echoRequest(f)).findFirst().orElseThrow();
        Frame wire = h.frames().stream().filter(x -> x.point().role() == Role.WIRE).findFirst().orElseThrow();
        Input leak = h.add(new Frame(wire.point(), Direction.IN, req.timeNs() + 1000, req.srcMac(), req.dstMac(),
                req.kind(), req.srcIp(), req.dstIp(), req.icmpId(), req.icmpSeq(), req.token(), 0, 0, req.data(),
                req.originalLength()));
        assertThat(leak.status(CheckId.Kind.STAYS_ON_HOST)).isEqualTo(FAIL);
        Input blind = h.drop(x -> x.point().role() == Role.PARENT || x.point().role() == Role.WIRE)
                .coverage(without(without(h.coverage(), Role.PARENT), Role.WIRE));
        assertThat(blind.status(CheckId.Kind.STAYS_ON_HOST)).isEqualTo(UNPROVEN);
        Input nothing = h.frames(l -> List.of()).outcome(ProbeOutcome.UNKNOWN);
        assertThat(nothing.status(CheckId.Kind.STAYS_ON_HOST)).isEqualTo(UNPROVEN);
    }

    @Test
    void aCaptureWithNoExchangeProvesNothing() {
        Input nothing = healthy(Family.V4).frames(l -> List.of()).outcome(ProbeOutcome.UNKNOWN);
        assertThat(nothing.results().values()).allMatch(c -> c.status() == UNPROVEN);
    }

    @Test
    void theArticlesTyposBreakHostToContainerButNotArpFlux() {
        for (String name : List.of("route-mismatch", "no-route")) {
            Input i = input(name, Family.V4);
            assertThat(i.status(CheckId.Kind.HOST_ICMP)).as(name).isEqualTo(FAIL);
            assertThat(i.status(CheckId.Kind.CONTAINER_RESOLVES_HOST)).as(name).isEqualTo(PASS);
            assertThat(i.status(CheckId.Kind.CONTAINER_ICMP)).as(name).isEqualTo(FAIL);
        }
    }

    @Test
    void aDuplicateAddressFailsTheHostsEchoWithBothAnswersAsEvidence() {
        CheckResult c = input("ip-conflict", Family.V4).result(CheckId.Kind.HOST_ICMP);
        assertThat(c.status()).isEqualTo(FAIL);
        assertThat(c.summary()).contains("two devices answer");
        assertThat(c.evidence().stream().map(Frame::senderMac).distinct().count()).isEqualTo(2);
    }

    @Test
    void theIsolationIsShownOnlyWhenTheProbeFailedTheWayAMissingShimExplains() {
        Input before = input("no-shim", Family.V4);
        ProbeExchanges p = ProbeExchanges.select(before.topology().of(Family.V4), null,
                Correlator.correlate(before.frames()));
        CheckResult icmp = before.result(CheckId.Kind.HOST_ICMP);
        assertThat(PathChecks.isolation(Family.V4, icmp, p, before.coverage()).status()).isEqualTo(PASS);
        Input worked = healthy(Family.V4);
        ProbeExchanges q = ProbeExchanges.select(worked.topology().of(Family.V4), null,
                Correlator.correlate(worked.frames()));
        assertThat(PathChecks.isolation(Family.V4, worked.result(CheckId.Kind.HOST_ICMP), q, worked.coverage())
                .status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
        // The container did not answer (a firewall in it, say): a failure, but not the isolation a shim cures.
        Input other = worked.drop(x -> x.kind() == FrameKind.ICMP_ECHO_REPLY && x.icmpSeq() == 1)
                .outcome(new ProbeOutcome(ProbeOutcome.Socket.of(false), worked.outcome().container()));
        ProbeExchanges r = ProbeExchanges.select(other.topology().of(Family.V4), null,
                Correlator.correlate(other.frames()));
        assertThat(PathChecks.isolation(Family.V4, other.result(CheckId.Kind.HOST_ICMP), r, other.coverage())
                .status()).isEqualTo(UNPROVEN);
    }

    @Test
    void unrelatedTrafficAndDuplicatesDoNoHarm() {
        Input h = healthy(Family.V4);
        Input noisy = h.frames(l -> {
            List<Frame> out = new ArrayList<>();
            for (Frame f : l) {
                out.add(f);
                out.add(f);
                out.add(with(f, f.srcMac(), f.dstMac(), f.srcIp().plus(0x010000), f.dstIp()));
            }
            return out;
        });
        assertThat(noisy.results().values()).allMatch(c -> c.status() == PASS);
    }

    static IpAddress ctr(Input i) {
        return i.topology().of(i.family()).container();
    }

    static IpAddress host(Input i) {
        return i.topology().of(i.family()).host();
    }

    static Topology withShimMac(Topology t, long mac) {
        Endpoint s = t.shim();
        return new Topology(t.parent(), new Endpoint(s.name(), mac, s.ip(), s.ipv6(), s.mode(), s.up()), t.container(),
                t.addressing());
    }

    static Coverage without(Coverage c, Role r) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles.addAll(c.captured());
        roles.remove(r);
        return new Coverage(roles, c.lost(), c.dropped());
    }

    static Frame with(Frame f, long srcMac, long dstMac, IpAddress srcIp, IpAddress dstIp) {
        return new Frame(f.point(), f.direction(), f.timeNs(), srcMac, dstMac, f.kind(), srcIp, dstIp, f.icmpId(),
                f.icmpSeq(), f.token(), f.senderMac(), f.targetMac(), f.data(), f.originalLength());
    }

    // ---- the container's path to the LAN ----

    static final Set<CheckId.Kind> LAN = EnumSet.of(CheckId.Kind.LAN_RESOLVE, CheckId.Kind.LAN_ICMP,
            CheckId.Kind.LAN_SRC_MAC, CheckId.Kind.LAN_REPLY);

    @Test
    void aHealthyLanPathPassesEveryLanCheckWithEvidence() {
        Map<CheckId, CheckResult> m = input("healthy-lan", Family.V4).lan();
        assertThat(m.keySet().stream().map(CheckId::kind)).containsExactlyInAnyOrderElementsOf(LAN);
        assertThat(m.values()).allMatch(c -> c.status() == PASS && !c.evidence().isEmpty());
    }

    @Test
    void withoutALanPeerThereAreNoLanChecks() {
        assertThat(healthy(Family.V4).lan()).isEmpty();
    }

    /** Someone's capture of ping and arping between host and container holds no question to the LAN: not judged. */
    @Test
    void aCaptureWithoutLanTrafficIsNotJudgedOnTheLan() {
        Input h = input("healthy-lan", Family.V4);
        IpAddress gw = h.topology().of(Family.V4).lan().get(0);
        Input hostOnly = h.drop(x -> gw.equals(x.srcIp()) || gw.equals(x.dstIp()));
        assertThat(hostOnly.lan()).isEmpty();
        assertThat(hostOnly.results().values()).allMatch(c -> c.status() == PASS);
    }

    /**
     * The gateway answers the container's echo and, its entry stale, asks for the container by unicast: the
     * container's answer leaves the parent for the gateway. LAN traffic, not a host-container frame on the wire.
     */
    @Test
    void theGatewaysOwnQuestionForTheContainerIsNoLeak() {
        Input h = input("healthy-lan", Family.V4);
        Topology.Addressing a = h.topology().of(Family.V4);
        IpAddress gw = a.lan().get(0);
        Frame gwReply = h.frames().stream().filter(x -> x.kind() == FrameKind.ARP_REPLY && gw.equals(x.srcIp())
                && x.seenAt(Role.CONTAINER, Direction.IN)).findFirst().orElseThrow();
        long gwMac = gwReply.srcMac();
        long ctr = h.topology().container().mac();
        long t = h.frames().stream().mapToLong(Frame::timeNs).max().orElseThrow() + 1_000;
        Frame ask = new Frame(gwReply.point(), Direction.IN, t, gwMac, ctr, FrameKind.ARP_REQUEST, gw, a.container(),
                0, 0, 0, gwMac, ctr, gwReply.data(), gwReply.originalLength());
        Frame parentOut = h.frames().stream().filter(x -> x.seenAt(Role.PARENT, Direction.OUT)).findFirst()
                .orElseThrow();
        Frame answer = new Frame(parentOut.point(), Direction.OUT, t + 50, ctr, gwMac, FrameKind.ARP_REPLY,
                a.container(), gw, 0, 0, 0, ctr, gwMac, gwReply.data(), gwReply.originalLength());
        Input probed = h.add(ask).add(answer);
        assertThat(probed.status(CheckId.Kind.STAYS_ON_HOST)).isEqualTo(PASS);
        assertThat(probed.results().values()).allMatch(c -> c.status() == PASS);
    }

    /** A bond in balance-alb sends with a slave's MAC: the container's frames leave the parent with another one. */
    @Test
    void aContainerFrameLeavingTheParentWithAnotherMacFailsSrcMac() {
        Input h = input("healthy-lan", Family.V4);
        long ctr = h.topology().container().mac();
        long slave = 0x02_00_00_00_be_efL;
        Input rewritten = h.map(x -> x.seenAt(Role.PARENT, Direction.OUT) && x.srcMac() == ctr
                ? with(x, slave, x.dstMac(), x.srcIp(), x.dstIp()) : x);
        assertThat(rewritten.lanStatus(CheckId.Kind.LAN_SRC_MAC)).isEqualTo(FAIL);
        assertThat(h.lanStatus(CheckId.Kind.LAN_SRC_MAC)).isEqualTo(PASS);
    }

    @Test
    void anAnswerThatReachedTheParentButNotTheContainerFails() {
        Input h = input("healthy-lan", Family.V4);
        IpAddress gw = h.topology().of(Family.V4).lan().get(0);
        Input lost = h.drop(x -> x.seenAt(Role.CONTAINER, Direction.IN) && gw.equals(x.srcIp()));
        assertThat(lost.lanStatus(CheckId.Kind.LAN_REPLY)).isEqualTo(FAIL);
        assertThat(lost.lanStatus(CheckId.Kind.LAN_RESOLVE)).isEqualTo(FAIL);
        assertThat(lost.lanStatus(CheckId.Kind.LAN_ICMP)).isEqualTo(FAIL);
    }

    @Test
    void anUnansweredQuestionIsUnprovenWhereTheContainerWasNotCapturedWhole() {
        Input h = input("lan-mac-filtered", Family.V4);
        assertThat(h.lanStatus(CheckId.Kind.LAN_RESOLVE)).isEqualTo(FAIL);
        Coverage partial = new Coverage(h.coverage().captured(), Set.of(Role.CONTAINER), Map.of());
        assertThat(h.coverage(partial).lanStatus(CheckId.Kind.LAN_RESOLVE)).isEqualTo(UNPROVEN);
    }

    /** The times in the checks' details round as %.0f did: half away from zero, at every boundary. */
    @Test
    void timesRoundAsFormatDid() {
        long[] values = {0, 1, 499, 500, 501, 999, 1000, 1499, 1500, 2500, 123_456_789, 499_999, 500_000, 1_500_000,
            2_500_000, -1, -500, -1500, -2_500_000, 86_400_000_000_499L};
        for (long ns : values) {
            assertThat(PathChecks.micros(ns)).as("%d ns", ns)
                    .isEqualTo(formatted(ns / 1000.0) + " µs");
            assertThat(PathChecks.millis(ns)).as("%d ns", ns)
                    .isEqualTo(formatted(ns / 1e6) + " ms");
        }
    }

    private static String formatted(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.0f", v);
        // %.0f writes "-0" for a small negative value; the checks' times never are.
        return s.equals("-0") ? "0" : s;
    }
}
