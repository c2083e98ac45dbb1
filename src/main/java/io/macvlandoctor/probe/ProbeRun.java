package io.macvlandoctor.probe;

import io.macvlandoctor.Trace;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.NeighbourFlush;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.Parallel;
import io.macvlandoctor.system.RawIcmpSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One round of probes with every capture point open, for each address family of the container at once: the host's
 * echo to the container (through the host's kernel), and in parallel the container's resolution of the host
 * (injected, as arping or ndisc6 send it) followed by its echo to the host (through the container's kernel). Each
 * probe stops waiting as soon as its answer is in; the captures are then drained of what the kernel already queued.
 */
public final class ProbeRun {
    /**
     * What a round produced: every frame captured, what the sockets saw, libpcap's counters, what the kernel
     * recorded meanwhile (parsed when asked), and the topology the facts gave; closing it waits for the window's
     * sockets and trace instance to be gone.
     */
    public record Result(ProbeIds ids, List<Frame> frames, Map<Family, ProbeOutcome> outcomes,
                         List<CaptureStats> stats, List<CapturePoint> points, ProbeWindow kernel,
                         Topology topology) implements AutoCloseable {
        /** Waits for the window's sockets and trace instance to be gone. */
        @Override
        public void close() {
            kernel.close();
        }
    }

    /**
     * How a round probes.
     *
     * @param resolveTimeoutNs how long to wait for the resolution's answer to come out of the capture: longer than
     *     timeoutNs when many readers share the CPU and frames reach us late (the sockets' waits do not depend on it)
     * @param hostFlush flushes the host's neighbour entry for the container (null: done already, or --no-flush)
     * @param containerFlush flushes the container's entry for the host (null: --no-flush)
     * @param kernelWaitNs per family, how long the kernel's own timers may hold back a correct answer (proxied
     *     neighbour advertisements wait up to proxy_delay): the container's probes wait that much longer
     */
    public record Settings(long timeoutNs, long resolveTimeoutNs, Consumer<Change> hostFlush,
                           Consumer<Change> containerFlush, Map<Family, Long> kernelWait) {
        public Settings(long timeoutNs, long resolveTimeoutNs, Consumer<Change> hostFlush,
                        Consumer<Change> containerFlush) {
            this(timeoutNs, resolveTimeoutNs, hostFlush, containerFlush, Map.of());
        }

        long kernelWaitNs(Family f) {
            return kernelWait.getOrDefault(f, 0L);
        }
    }

    /**
     * An open capture, the frames it collects, the container's point in it, and the host's point where the host's
     * own resolution of the container is sent (the shim, else the parent).
     */
    public record Capturing(LiveCapture capture, FrameCollector frames, CapturePoint containerPoint,
                            CapturePoint hostPoint) {
    }

    /**
     * How long the host's resolution of the container waits for a second answer (another device with the
     * container's address) after the first, at least: the same broadcast reached both at once, so the second one
     * is late only by the difference of their latencies, and the wait grows with the first answer's. The capture's
     * drain after the probes (LiveCapture) still takes in what comes a few milliseconds later.
     */
    private static final long SECOND_ANSWER_NS = 5_000_000L;
    private static final int SECOND_ANSWER_LATENCIES = 4;

    private ProbeRun() {
    }

    /**
     * The capture points of a target: the parent, the shim, the container and, in the lab, the wire. An interface
     * that is down cannot be captured on (libpcap refuses it) and sees nothing anyway: it is left out.
     */
    public static List<LiveCapture.Spec> capturePoints(Target t) {
        List<LiveCapture.Spec> specs = hostPoints(t);
        if (t.containerIface() != null && t.containerIface().adminUp()) {
            // The container's macvlan sends every frame from its own MAC: one handle tells both directions.
            specs.add(new LiveCapture.Spec(CapturePoint.ofContainer(t.containerIface().name(), t.label()),
                    t.containerNs(), t.containerIface().macBits()));
        }
        return specs;
    }

    /** The host's points (parent, shim) and the wire: what every container of one host shares. */
    public static List<LiveCapture.Spec> hostPoints(Target t) {
        List<LiveCapture.Spec> specs = new ArrayList<>();
        if (t.parent().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.PARENT, t.parent().name()), t.hostNs()));
        }
        if (t.shim() != null && t.shim().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.SHIM, t.shim().name()), t.hostNs()));
        }
        if (t.wire() != null && t.wire().adminUp()) {
            specs.add(new LiveCapture.Spec(CapturePoint.of(Role.WIRE, t.wire().name()), t.lanNs()));
        }
        return specs;
    }

    /** Where the host's resolution of the container is sent: the shim when captured, else the parent. */
    public static CapturePoint hostPoint(List<CapturePoint> points) {
        for (Role r : List.of(Role.SHIM, Role.PARENT)) {
            for (CapturePoint p : points) {
                if (p.role() == r) {
                    return p;
                }
            }
        }
        return null;
    }

    public static Set<Role> roles(List<LiveCapture.Spec> specs) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        specs.forEach(s -> roles.add(s.point().role()));
        return roles;
    }

    /**
     * Only what the probes need: address resolution about the container (and the solicitations of NDP, which go to
     * multicast addresses), and between the container and the host the echoes that carry our id (and ICMP errors).
     * Everything else, a ping flood between the same two addresses included, is dropped by the kernel before it
     * costs us anything.
     */
    public static String filter(Topology t, ProbeIds ids) {
        List<String> parts = new ArrayList<>();
        for (Topology.Addressing a : t.addressing()) {
            String ctr = a.container().toString();
            // The host's addresses: its own on the parent, and the one the kernel picks as source; a parent with no
            // address of the family has neither, and the probe's id alone picks the frames.
            List<String> hs = new ArrayList<>();
            if (a.host() != null) {
                hs.add("host " + a.host());
            }
            if (a.expectedSrcIp() != null && !a.expectedSrcIp().equals(a.host())) {
                hs.add("host " + a.expectedSrcIp());
            }
            String hosts = hs.isEmpty() ? "" : " and " + (hs.size() == 1 ? hs.get(0) : "(" + String.join(" or ", hs)
                    + ")");
            for (IpAddress peer : a.lan()) {
                // The LAN peers: their resolution (asked by the container and by the host) and the container's
                // echo to them, with our id.
                if (a.family() == Family.V4) {
                    parts.add("(arp and host " + peer + ")");
                    parts.add("(icmp and host " + ctr + " and host " + peer + " and icmp[4:2] == " + ids.icmpId()
                            + ")");
                } else {
                    parts.add("(icmp6 and host " + ctr + " and host " + peer + " and icmp6[4:2] == "
                            + ids.icmpId() + ")");
                }
            }
            if (a.family() == Family.V4) {
                parts.add("(arp and host " + ctr + ")");
                parts.add("(icmp and host " + ctr + hosts + " and (icmp[4:2] == " + ids.icmpId()
                        + " or (icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply)))");
            } else {
                parts.add("(icmp6 and (ip6[40] == 135 or ip6[40] == 136))");
                parts.add("(icmp6 and host " + ctr + hosts + " and (icmp6[4:2] == " + ids.icmpId()
                        + " or (ip6[40] != 128 and ip6[40] != 129)))");
            }
        }
        return String.join(" or ", parts);
    }

    private record Plan(Topology topology, Settings settings) {
    }

    /**
     * One round: every capture point opened and the kernel's trace made ready while the facts are read and the
     * kernel's timers looked at (the three side by side: the first two wait on the kernel), each handle filtered
     * by the topology once it is known, the probes, then capture and trace stopped.
     *
     * @param facts the topology the probes go by, from the kernel's facts
     * @param waiting how the probes wait (it may wait itself, for the kernel's address detection)
     */
    public static Result run(Target t, ProbeIds ids, Parallel.Task<Topology> facts, Parallel.Task<Settings> waiting,
                             Supplier<KernelTrace> tracing) throws InterruptedException {
        List<LiveCapture.Spec> specs = capturePoints(t);
        CapturePoint ctrPoint = specs.stream().map(LiveCapture.Spec::point)
                .filter(p -> p.role() == Role.CONTAINER).findFirst().orElse(null);
        CapturePoint hostPoint = hostPoint(specs.stream().map(LiveCapture.Spec::point).toList());
        FrameCollector frames = new FrameCollector();
        java.util.concurrent.CompletableFuture<String> bpf = new java.util.concurrent.CompletableFuture<>();
        Plan[] plan = new Plan[1];
        ProbeWindow w = ProbeWindow.open(() -> LiveCapture.open(specs, bpf, frames::add), tracing, () -> {
            try {
                Topology topo = facts.run();
                bpf.complete(filter(topo, ids));
                return new Plan(topo, waiting.run());
            } finally {
                // Failed or interrupted: the handles waiting for their filter give up, with this failure.
                bpf.completeExceptionally(new java.util.concurrent.CancellationException("no facts"));
            }
        }, p -> plan[0] = p);
        try {
            Trace.mark("captures open");
            Topology topo = plan[0].topology();
            w.start();
            Map<Family, ProbeOutcome> outcomes = probe(new Capturing(w.capture(), frames, ctrPoint, hostPoint), t,
                    topo, ids, plan[0].settings());
            Trace.mark("probes answered");
            List<CaptureStats> stats = w.stop();
            // The window still closing goes to the caller, who closes it once the frames are judged.
            return new Result(ids, frames.frames(), outcomes, stats, w.capture().points(), w, topo);
        } catch (InterruptedException | RuntimeException | Error e) {
            w.close();
            throw e;
        }
    }

    /** The probes of one container, every family at once, on a capture that is already open. */
    public static Map<Family, ProbeOutcome> probe(Capturing c, Target t, Topology topo, ProbeIds ids, Settings s)
            throws InterruptedException {
        for (Topology.Addressing a : topo.addressing()) {
            flushNeighbour(s.hostFlush(), t.hostNs(), a.container());
        }
        Trace.mark("neighbours flushed");
        List<Parallel.Task<ProbeOutcome>> families = new ArrayList<>();
        for (Topology.Addressing a : topo.addressing()) {
            families.add(() -> probeFamily(c, t, topo, a, ids, s));
        }
        List<ProbeOutcome> outcomes = Parallel.all(families, "probe:" + t.label());
        Map<Family, ProbeOutcome> out = new EnumMap<>(Family.class);
        for (int i = 0; i < outcomes.size(); i++) {
            out.put(topo.addressing().get(i).family(), outcomes.get(i));
        }
        return out;
    }

    /**
     * One family: the host's echo (then its resolution of the container) on one thread, the container's resolution
     * of the host and its echo on another. Both end before the sockets they use are closed.
     */
    private static ProbeOutcome probeFamily(Capturing c, Target t, Topology topo, Topology.Addressing a, ProbeIds ids,
                                            Settings s) throws InterruptedException {
        Family f = a.family();
        try (RawIcmpSocket hostSock = RawIcmpSocket.open(t.hostNs(), f, ids.icmpId());
             RawIcmpSocket ctrSock = containerSocket(t, f, ids)) {
            CountDownLatch hostDone = new CountDownLatch(1);
            List<ProbeOutcome.Socket> sides = Parallel.all(List.of(
                    () -> {
                        try {
                            return hostSide(c, t, topo, a, ids, s, hostSock, hostDone);
                        } finally {
                            hostDone.countDown();
                        }
                    },
                    () -> ctrSock == null ? new ProbeOutcome.Socket(false, 0, "the container's namespace is gone")
                            : containerSide(c, t, topo, a, ids, s, ctrSock, hostDone),
                    () -> {
                        // The LAN half, beside the host's: other addresses, a socket of its own.
                        if (ctrSock != null) {
                            LanProbe.run(c, t, topo, a, ids, s);
                        }
                        return null;
                    }), "probe:" + f.label());
            return new ProbeOutcome(sides.get(0), sides.get(1));
        }
    }

    /** The container's probing socket; null when its namespace went away (the checks and diagnosis say so). */
    private static RawIcmpSocket containerSocket(Target t, Family f, ProbeIds ids) {
        try {
            return RawIcmpSocket.open(t.containerNs(), f, ids.icmpId());
        } catch (io.macvlandoctor.EnvironmentException e) {
            if (java.nio.file.Files.exists(t.containerNs().file())) {
                throw e;
            }
            return null;
        }
    }

    /**
     * The host's echo to the container through its kernel, then its own resolution of the container; hostDone is
     * counted down once the container has its answer (or none came).
     */
    private static ProbeOutcome.Socket hostSide(Capturing c, Target t, Topology topo, Topology.Addressing a,
                                                ProbeIds ids, Settings s, RawIcmpSocket sock,
                                                CountDownLatch hostDone) throws InterruptedException {
        IpAddress ctr = a.container();
        String err = sock.send(ctr, Packets.echoRequest(a.family(), ids.icmpId(), ProbeIds.SEQ_HOST_TO_CONTAINER,
                ids.payload(ProbeIds.SEQ_HOST_TO_CONTAINER)));
        Trace.mark("host echo sent");
        long got = err != null ? -1 : sock.awaitEchoReply(ctr, ids.icmpId(), ProbeIds.SEQ_HOST_TO_CONTAINER,
                System.nanoTime() + s.timeoutNs());
        ProbeOutcome.Socket o = new ProbeOutcome.Socket(got >= 0, sock.drops(), err,
                got >= 0 ? 0 : wallClockNs());
        hostResolves(c, t, topo, a, ids, s, hostDone);
        return o;
    }

    /**
     * The container's resolution of the host (injected, as arping sends it) and, once answered, its echo to the
     * host through its kernel. Unanswered, the resolution says all there is: the container's kernel would send the
     * very same request before its echo and get no answer either, so waiting for that too would only double the
     * time.
     */
    private static ProbeOutcome.Socket containerSide(Capturing c, Target t, Topology topo, Topology.Addressing a,
                                                     ProbeIds ids, Settings s, RawIcmpSocket sock,
                                                     CountDownLatch hostDone) throws InterruptedException {
        IpAddress ctr = a.container();
        IpAddress host = a.host();
        CapturePoint at = c.containerPoint();
        Frame answer = null;
        if (at != null && host != null && c.capture().inject(at, resolution(topo, a, ids))) {
            Trace.mark("container resolution sent");
            FrameKind kind = FrameKind.resolutionReply(a.family());
            answer = c.frames().await(x -> x.kind() == kind && x.point().equals(at) && x.direction() == Direction.IN
                    && host.equals(x.srcIp()) && ctr.equals(x.dstIp()),
                    System.nanoTime() + s.resolveTimeoutNs() + s.kernelWaitNs(a.family()));
        }
        if (answer == null) {
            return new ProbeOutcome.Socket(false, 0, null);
        }
        // The host's resolutions of the container teach the container the host's MAC; once the host is done, forget
        // it again so that the container's echo has to resolve the host itself, as the kernel-behaviour table
        // measures it (and as a filter on the container's own ARP output would see it).
        hostDone.await();
        flushNeighbour(s.containerFlush(), t.containerNs(), host);
        String err = sock.send(host, Packets.echoRequest(a.family(), ids.icmpId(), ProbeIds.SEQ_CONTAINER_TO_HOST,
                ids.payload(ProbeIds.SEQ_CONTAINER_TO_HOST)));
        long got = err != null ? -1 : sock.awaitEchoReply(host, ids.icmpId(), ProbeIds.SEQ_CONTAINER_TO_HOST,
                System.nanoTime() + s.timeoutNs() + s.kernelWaitNs(a.family()));
        return new ProbeOutcome.Socket(got >= 0, sock.drops(), err, got >= 0 ? 0 : wallClockNs());
    }

    /**
     * The host's own resolution of the container, sent from the shim (as the fixed host's kernel would send it):
     * every device that answers for the container's address is seen, a duplicate too. After the first answer the
     * container's side goes on (firstDone) while this one waits a little for a second.
     */
    private static void hostResolves(Capturing c, Target t, Topology topo, Topology.Addressing a, ProbeIds ids,
                                     Settings s, CountDownLatch firstDone) throws InterruptedException {
        CapturePoint at = c.hostPoint();
        if (at == null || a.host() == null) {
            return;
        }
        boolean shim = at.role() == Role.SHIM && topo.shim() != null;
        long mac = shim ? topo.shim().mac() : topo.parent().mac();
        IpAddress ctr = a.container();
        byte[] req;
        if (a.family() == Family.V4) {
            req = Packets.arpRequest(mac, a.host(), ctr);
        } else {
            // As the kernel solicits: from the sending interface's link-local address (the shim has no global one),
            // so that the container learns nothing about the host's own address from it.
            io.macvlandoctor.model.Link dev = shim ? t.shim() : t.parent();
            IpAddress src = dev.addresses().stream().map(io.macvlandoctor.model.Cidr::address)
                    .filter(IpAddress::isLinkLocal).findFirst().orElse(a.host());
            req = Packets.neighbourSolicitation(mac, src, ctr, ids.token());
        }
        long sent = System.nanoTime();
        if (!c.capture().inject(at, req)) {
            return;
        }
        FrameKind kind = FrameKind.resolutionReply(a.family());
        Frame first = c.frames().await(x -> x.kind() == kind && x.point().equals(at) && x.direction() == Direction.IN
                && ctr.equals(x.srcIp()), sent + s.resolveTimeoutNs());
        firstDone.countDown();
        if (first != null) {
            long answered = System.nanoTime();
            long firstMac = first.senderMac();
            c.frames().await(x -> x.kind() == kind && x.point().equals(at) && x.direction() == Direction.IN
                    && ctr.equals(x.srcIp()) && x.senderMac() != firstMac,
                    answered + Math.max(SECOND_ANSWER_NS, SECOND_ANSWER_LATENCIES * (answered - sent)));
        }
    }

    /** The container's ARP request (as arping sends it) or neighbour solicitation (as ndisc6 does) for the host. */
    static byte[] resolution(Topology topo, Topology.Addressing a, ProbeIds ids) {
        long mac = topo.container().mac();
        return a.family() == Family.V4 ? Packets.arpRequest(mac, a.container(), a.host())
                : Packets.neighbourSolicitation(mac, a.container(), a.host(), ids.token());
    }

    private static void flushNeighbour(Consumer<Change> flush, Netns ns, IpAddress ip) {
        if (flush != null && ip != null) {
            flush.accept(new NeighbourFlush(ns, ip));
        }
    }

    /** The current time as capture timestamps give it (nanoseconds since the epoch). */
    static long wallClockNs() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
