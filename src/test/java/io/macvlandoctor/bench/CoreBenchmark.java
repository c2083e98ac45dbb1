package io.macvlandoctor.bench;

import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.capture.FrameDecoder;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.probe.Packets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core on one thread: decoding raw frames, correlating them into exchanges and running the checks, per frame
 * (docs/performance.md). The input mixes the lab's probe exchanges with unrelated traffic, 1 frame in 100 relevant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoreBenchmark {
    static final int FRAMES = 100_000;
    static final CapturePoint[] POINTS = {CapturePoint.of(Role.PARENT, "ens33"), CapturePoint.of(Role.SHIM,
            "macvlan0-host"), CapturePoint.of(Role.CONTAINER, "eth0"), CapturePoint.of(Role.WIRE, "gw0")};
    static final long SHIM = Mac.parse("9e:63:b4:5c:c8:93");
    static final long CTR = Mac.parse("02:42:c0:a8:88:f0");
    static final long PARENT = Mac.parse("00:0c:29:80:61:8b");
    static final IpAddress HOST = IpAddress.parse("192.168.136.130");
    static final IpAddress CIP = IpAddress.parse("192.168.136.240");

    byte[][] raw = new byte[FRAMES][];
    CapturePoint[] at = new CapturePoint[FRAMES];
    Topology facts;

    @Setup
    public void setup() {
        Random rnd = new Random(1);
        List<byte[]> exchange = List.of(Packets.arpRequest(CTR, CIP, HOST), Packets.arpReply(SHIM, HOST, CTR, CIP),
                Packets.echoFrame(SHIM, CTR, HOST, CIP, true, 7, 1, new byte[56]),
                Packets.echoFrame(CTR, SHIM, CIP, HOST, false, 7, 1, new byte[56]));
        for (int i = 0; i < FRAMES; i++) {
            if (i % 100 < 4) {
                raw[i] = exchange.get(i % 100);
            } else {
                // Unrelated IPv4/UDP between the LAN and the container.
                byte[] b = Packets.echoFrame(rnd.nextLong() & 0xfeffffffffffL, CTR, IpAddress.v4(rnd.nextInt()), CIP,
                        true, 1, 1, new byte[64 + rnd.nextInt(400)]);
                b[23] = 17;
                raw[i] = b;
            }
            at[i] = POINTS[i % POINTS.length];
        }
        facts = new Topology(new Endpoint("ens33", PARENT, HOST, null, null, true),
                new Endpoint("macvlan0-host", SHIM, null, null, "bridge", true),
                new Endpoint("eth0", CTR, CIP, null, "bridge", true),
                List.of(new Topology.Addressing(Family.V4, CIP, HOST, HOST, "macvlan0-host")));
    }

    /** Decode every frame, keep the ARP and ICMP ones, correlate, check: the work of analyze on a capture. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public List<CheckResult> decodeCorrelateCheck() {
        List<Frame> kept = new ArrayList<>();
        long t = 1_764_300_000_000_000_000L;
        for (int i = 0; i < FRAMES; i++) {
            Frame f = FrameDecoder.decode(at[i], Direction.IN, t + i * 1000L, raw[i], raw[i].length, raw[i].length,
                    true);
            if (f != null) {
                kept.add(f);
            }
        }
        ProbeExchanges p = ProbeExchanges.select(facts.of(Family.V4), null, Correlator.correlate(kept));
        return PathChecks.evaluate(facts, Family.V4, Coverage.of(Set.of(Role.values())), p, ProbeOutcome.UNKNOWN);
    }

    /** Decoding alone. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long decode() {
        long n = 0;
        for (int i = 0; i < FRAMES; i++) {
            n += FrameDecoder.decode(at[i], Direction.IN, i, raw[i], raw[i].length).timeNs();
        }
        return n;
    }
}
