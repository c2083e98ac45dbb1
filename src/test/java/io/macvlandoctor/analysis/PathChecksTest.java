package io.macvlandoctor.analysis;

import static io.macvlandoctor.analysis.PathChecks.CONTAINER_ARP_FLUX;
import static io.macvlandoctor.analysis.PathChecks.CONTAINER_ICMP;
import static io.macvlandoctor.analysis.PathChecks.HOST_ICMP;
import static io.macvlandoctor.analysis.PathChecks.HOST_REPLY_VIA_SHIM;
import static io.macvlandoctor.analysis.PathChecks.HOST_SRC_IP;
import static io.macvlandoctor.analysis.PathChecks.HOST_SRC_MAC;
import static io.macvlandoctor.analysis.PathChecks.PARENT_TAP;
import static io.macvlandoctor.analysis.PathChecks.STAYS_ON_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks on frames recorded from the lab, without root. */
class PathChecksTest {
    static Map<String, CheckStatus> evaluate(Recorded r) {
        return evaluate(r.facts(), r.frames(), r.outcome());
    }

    static Map<String, CheckStatus> evaluate(PathFacts facts, List<Frame> frames) {
        return evaluate(facts, frames, ProbeOutcome.UNKNOWN);
    }

    static Map<String, CheckStatus> evaluate(PathFacts facts, List<Frame> frames, ProbeOutcome o) {
        ProbeExchanges p = ProbeExchanges.select(facts, null, Correlator.correlate(frames));
        Map<String, CheckStatus> m = new LinkedHashMap<>();
        for (CheckResult c : PathChecks.evaluate(facts, p, o)) {
            m.put(c.id(), c.status());
        }
        return m;
    }

    static List<String> captures() {
        return Recorded.names();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void framesWithTheRecordedSocketOutcomesGiveTheVerdictsOfTheLiveRun(String name) {
        Recorded r = Recorded.load(name);
        Map<String, String> offline = new LinkedHashMap<>();
        evaluate(r).forEach((k, v) -> offline.put(k, v.id()));
        Map<String, String> live = new LinkedHashMap<>(r.liveStatuses());
        live.remove(PathChecks.ISOLATION);
        assertThat(offline).isEqualTo(live);
    }

    @Test
    void theHealthyPathPassesEveryCheck() {
        assertThat(evaluate(Recorded.load("healthy")).values()).hasSize(8).containsOnly(CheckStatus.PASS);
    }

    @Test
    void theArticlesTyposBreakHostToContainerButNotArpFlux() {
        for (String name : List.of("route-mismatch", "no-route")) {
            Map<String, CheckStatus> m = evaluate(Recorded.load(name));
            assertThat(m.get(HOST_ICMP)).as(name).isEqualTo(CheckStatus.FAIL);
            assertThat(m.get(CONTAINER_ARP_FLUX)).as(name).isEqualTo(CheckStatus.PASS);
            assertThat(m.get(CONTAINER_ICMP)).as(name).isEqualTo(CheckStatus.FAIL);
            assertThat(m.get(STAYS_ON_HOST)).as(name).isEqualTo(CheckStatus.PASS);
        }
    }

    @Test
    void arpIgnoreBreaksOnlyTheContainerSide() {
        Map<String, CheckStatus> m = evaluate(Recorded.load("arp-ignore"));
        assertThat(m.get(HOST_ICMP)).isEqualTo(CheckStatus.PASS);
        assertThat(m.get(HOST_SRC_MAC)).isEqualTo(CheckStatus.PASS);
        assertThat(m.get(CONTAINER_ARP_FLUX)).isEqualTo(CheckStatus.FAIL);
        assertThat(m.get(CONTAINER_ICMP)).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void withoutAShimNothingGetsThrough() {
        Map<String, CheckStatus> m = evaluate(Recorded.load("no-shim"));
        assertThat(m.get(HOST_ICMP)).isEqualTo(CheckStatus.FAIL);
        assertThat(m.get(CONTAINER_ARP_FLUX)).isEqualTo(CheckStatus.FAIL);
        assertThat(m.get(CONTAINER_ICMP)).isEqualTo(CheckStatus.FAIL);
        assertThat(m.get(HOST_SRC_MAC)).isEqualTo(CheckStatus.SKIP);
    }

    /** Change the frames so that each check sees what it must refuse. */
    @Test
    void eachCheckFailsOnTheFramesItMustRefuse() {
        Recorded r = Recorded.load("healthy");
        long shim = r.facts().shim().mac();
        long parent = r.facts().parent().mac();
        // The echo request arrives with the parent's MAC (a hairpinning VEPA switch would do that).
        List<Frame> parentMac = map(r.frames(), f -> f.kind() == FrameKind.ICMP_ECHO_REQUEST && f.srcMac() == shim
                ? with(f, parent, f.dstMac(), f.srcIp()) : f);
        assertThat(evaluate(r.facts(), parentMac).get(HOST_SRC_MAC)).isEqualTo(CheckStatus.FAIL);
        // The request leaves with another source address than the kernel's choice.
        int host = r.facts().hostIp();
        List<Frame> otherSrc = map(r.frames(), f -> f.kind() == FrameKind.ICMP_ECHO_REQUEST && f.srcIp() == host
                ? with(f, f.srcMac(), f.dstMac(), host + 1)
                : f.kind() == FrameKind.ICMP_ECHO_REPLY && f.dstIp() == host
                ? new Frame(f.point(), f.direction(), f.timeNs(), f.srcMac(), f.dstMac(), f.kind(), f.srcIp(),
                        host + 1, f.icmpId(), f.icmpSeq(), f.token(), 0, 0, f.data(), f.originalLength())
                : f);
        assertThat(evaluate(r.facts(), otherSrc).get(HOST_SRC_IP)).isEqualTo(CheckStatus.FAIL);
        // The reply is addressed to the parent's MAC.
        List<Frame> replyToParent = map(r.frames(), f -> f.kind() == FrameKind.ICMP_ECHO_REPLY && f.dstMac() == shim
                ? with(f, f.srcMac(), parent, f.srcIp()) : f);
        assertThat(evaluate(r.facts(), replyToParent).get(HOST_REPLY_VIA_SHIM)).isEqualTo(CheckStatus.FAIL);
        // The ARP reply comes from the parent's MAC.
        List<Frame> arpFromParent = map(r.frames(), f -> f.kind() == FrameKind.ARP_REPLY && f.arpSenderMac() == shim
                ? new Frame(f.point(), f.direction(), f.timeNs(), parent, f.dstMac(), f.kind(), f.srcIp(), f.dstIp(),
                        0, 0, 0, parent, f.arpTargetMac(), f.data(), f.originalLength()) : f);
        assertThat(evaluate(r.facts(), arpFromParent).get(CONTAINER_ARP_FLUX)).isEqualTo(CheckStatus.FAIL);
        // A unicast echo request also leaves through the parent and reaches the wire.
        List<Frame> leak = new ArrayList<>(r.frames());
        Frame req = r.frames().stream().filter(f -> f.kind() == FrameKind.ICMP_ECHO_REQUEST).findFirst().orElseThrow();
        Frame wire = r.frames().stream().filter(f -> f.point().role() == Role.WIRE).findFirst().orElseThrow();
        leak.add(new Frame(wire.point(), Direction.IN, req.timeNs() + 1000, req.srcMac(), req.dstMac(), req.kind(),
                req.srcIp(), req.dstIp(), req.icmpId(), req.icmpSeq(), req.token(), 0, 0, req.data(),
                req.originalLength()));
        Map<String, CheckStatus> m = evaluate(r.facts(), leak);
        assertThat(m.get(STAYS_ON_HOST)).isEqualTo(CheckStatus.FAIL);
        // ... and the parent sending it as egress breaks the tap check too.
        List<Frame> egress = map(r.frames(), f -> f.point().role() == Role.PARENT && f.kind().isEcho()
                ? new Frame(f.point(), Direction.OUT, f.timeNs(), f.srcMac(), f.dstMac(), f.kind(), f.srcIp(),
                        f.dstIp(), f.icmpId(), f.icmpSeq(), f.token(), 0, 0, f.data(), f.originalLength()) : f);
        Map<String, CheckStatus> e = evaluate(r.facts(), egress);
        assertThat(e.get(PARENT_TAP)).isEqualTo(CheckStatus.FAIL);
        assertThat(e.get(STAYS_ON_HOST)).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void unrelatedTrafficAndDuplicatesDoNoHarm() {
        Recorded r = Recorded.load("healthy");
        List<Frame> noisy = new ArrayList<>();
        for (Frame f : r.frames()) {
            noisy.add(f);
            noisy.add(f); // every frame twice
            noisy.add(with(f, f.srcMac(), f.dstMac(), f.srcIp() ^ 0x00ff0000)); // and an unrelated twin
        }
        assertThat(evaluate(r.facts(), noisy).values()).containsOnly(CheckStatus.PASS);
    }

    static List<Frame> map(List<Frame> l, java.util.function.UnaryOperator<Frame> fn) {
        return l.stream().map(fn).toList();
    }

    static Frame with(Frame f, long srcMac, long dstMac, int srcIp) {
        return new Frame(f.point(), f.direction(), f.timeNs(), srcMac, dstMac, f.kind(), srcIp, f.dstIp(), f.icmpId(),
                f.icmpSeq(), f.token(), f.arpSenderMac(), f.arpTargetMac(), f.data(), f.originalLength());
    }
}
