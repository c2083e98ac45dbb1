package io.macvlandoctor.capture;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.Trace;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.system.Namespaces;
import io.macvlandoctor.system.PacketSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.LiveHandle;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;

/**
 * Captures on several interfaces in several namespaces at once. Each interface gets two handles, one per
 * direction (the pcap record header does not say which way a frame went), each created inside its namespace
 * and read by its own thread. Frames are decoded and handed to the sink as they arrive.
 */
public final class LiveCapture implements AutoCloseable {
    /**
     * An interface to capture on, in its namespace.
     *
     * @param ownMac the interface's own MAC when every frame it sends carries it (a container's macvlan): then one
     *     handle takes both directions, each frame's told by its source MAC; 0 for two handles (a parent passes
     *     on frames of other MACs both ways)
     * @param bpf this point's own filter, null for the capture's: a container's interface among many sees every
     *     other container's broadcasts, which only its own filter keeps out of the ring
     */
    public record Spec(CapturePoint point, Netns ns, long ownMac, String bpf) {
        public Spec(CapturePoint point, Netns ns) {
            this(point, ns, 0, null);
        }

        public Spec(CapturePoint point, Netns ns, long ownMac) {
            this(point, ns, ownMac, null);
        }
    }

    /**
     * Enough for a full Ethernet frame, VLAN tag included (the checks read headers only; a jumbo frame is cut, its
     * original length kept). libpcap's ring (TPACKET_V2, as immediate mode asks) gives each frame a slot of the
     * snap length and libpcap's header, in page-sized blocks: this length keeps a slot under 2 KiB, two to a
     * page. At 2048 a slot took a whole page, and every ring of the run twice the memory it was given (a hundred
     * containers: 122 MB of rings).
     */
    private static final int SNAPLEN = 1900;
    private static final int BUFFER_BYTES = Integer.getInteger("mvd.captureBufferBytes", 2 << 20);
    private static final int READ_TIMEOUT_MS = 10;
    /**
     * Handles are non-blocking and polled with a back-off: with TPACKET_V3 libpcap blocks in poll() until a
     * packet comes, whatever the timeout, so a blocking reader could never notice that it should stop.
     */
    private static final long MIN_IDLE_NS = 50_000L;
    private static final long MAX_IDLE_NS = 1_000_000L;
    /**
     * Dozens of idle readers waking every millisecond keep two cores busy (many containers): the longest idle
     * wait grows with the number of readers, up to this, and the drain waits for twice it.
     */
    private static final long MAX_IDLE_MANY_NS = 8_000_000L;
    /** After stop(), a handle is drained until it has been quiet this long (frames still in a softirq). */
    private static final long DRAIN_QUIET_NS = 5_000_000L;
    /** How long stop() keeps draining a busy handle before giving up on it. */
    private static final long DRAIN_LIMIT_NS = 200_000_000L;

    private final List<Reader> readers = new ArrayList<>();
    /** Where each point is, for the sockets that inject frames there; those sockets, opened at the first frame. */
    private final java.util.Map<CapturePoint, Spec> where = new java.util.HashMap<>();
    private final java.util.Map<CapturePoint, PacketSocket> senders = new java.util.HashMap<>();
    /** The threads closing sockets and handles (finish() starts them, stop() and close() wait for them). */
    private final List<Thread> closing = java.util.Collections.synchronizedList(new ArrayList<>());
    private List<CaptureStats> finished;
    private volatile long stopAt = Long.MAX_VALUE / 2;
    private long maxIdleNs = MAX_IDLE_NS;
    private long drainQuietNs = DRAIN_QUIET_NS;

    private final class Reader implements Runnable {
        final CapturePoint point;
        /** The handle's direction; null for both, each frame's told by ownMac. */
        final Direction dir;
        final long ownMac;
        final PcapHandle handle;
        final Consumer<Frame> sink;
        final AtomicLong captured = new AtomicLong();
        /** The handle failed before the capture was stopped: the interface went away during the run. */
        volatile boolean lost;
        /** Counters at the moment the filter was in place: what came before is not the run's. */
        long baseReceived;
        long baseDropped;
        long baseIfDropped;
        Thread thread;
        CaptureStats stats;

        Reader(CapturePoint point, Direction dir, long ownMac, PcapHandle handle, Consumer<Frame> sink) {
            this.point = point;
            this.dir = dir;
            this.ownMac = ownMac;
            this.handle = handle;
            this.sink = sink;
        }

        /**
         * Between activation and the filter, a busy interface fills the ring with frames the filter would have
         * refused, and counts their drops: those are not the run's.
         */
        void baseline() {
            try {
                PcapStat s = handle.getStats();
                baseReceived = s.getNumPacketsReceived();
                baseDropped = s.getNumPacketsDropped();
                baseIfDropped = s.getNumPacketsDroppedByIf();
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                // No baseline: the counters are reported as they are.
            }
        }

        @Override
        public void run() {
            long idleNs = MIN_IDLE_NS;
            long lastFrame = System.nanoTime();
            try {
                PcapNext reading = new PcapNext(handle);
                while (true) {
                    int rc = reading.next();
                    if (rc == PcapNext.FRAME) {
                        byte[] raw = reading.frame();
                        // One handle for both ways: a frame from the interface's own MAC is one it sent.
                        Direction d = dir != null ? dir : raw.length >= 12 && FrameDecoder.mac(raw, 6) == ownMac
                                ? Direction.OUT : Direction.IN;
                        sink.accept(FrameDecoder.decode(point, d, reading.timeNs(), raw, reading.originalLength()));
                        captured.incrementAndGet();
                        lastFrame = System.nanoTime();
                        idleNs = MIN_IDLE_NS;
                        if (lastFrame - stopAt > DRAIN_LIMIT_NS) {
                            return;
                        }
                    } else if (rc == PcapNext.NONE) {
                        // Non-blocking: nothing queued right now.
                        long now = System.nanoTime();
                        if (now - Math.max(stopAt, lastFrame) > drainQuietNs && now > stopAt) {
                            return;
                        }
                        LockSupport.parkNanos(idleNs);
                        idleNs = Math.min(maxIdleNs, idleNs * 2);
                    } else {
                        // The interface went away or libpcap failed: this point stops, and what it did not see
                        // from now on proves nothing (the checks treat it as lost).
                        lost = rc != PcapNext.END && System.nanoTime() < stopAt;
                        return;
                    }
                }
            } catch (RuntimeException e) {
                // A frame that could not be taken in: as a failed read.
                lost = System.nanoTime() < stopAt;
            }
        }
    }

    private LiveCapture() {
    }

    /**
     * Opens every handle (IN and OUT per point) in parallel, each on a thread inside its namespace (a handle keeps
     * the namespace it was created in), then starts reading. Nothing is left open on failure.
     */
    public static LiveCapture open(List<Spec> specs, String bpf, Consumer<Frame> sink) {
        return open(specs, bpf, sink, s -> BUFFER_BYTES);
    }

    /** @param ringBytes the kernel ring of each point's handles */
    public static LiveCapture open(List<Spec> specs, String bpf, Consumer<Frame> sink,
                                   ToIntFunction<Spec> ringBytes) {
        return open(specs, CompletableFuture.completedFuture(bpf), sink, ringBytes);
    }

    /**
     * Opens the handles while the filter is still being worked out (from facts read meanwhile), and filters each
     * once it is known: opening a handle waits for the kernel (an RCU grace period, for its ring), reading the
     * facts does not need it. A filter that fails to come fails the opening with the same exception, every handle
     * closed. libpcap filters in userland whatever the ring took in before the kernel's filter was in place.
     */
    public static LiveCapture open(List<Spec> specs, CompletableFuture<String> bpf, Consumer<Frame> sink) {
        return open(specs, bpf, sink, s -> BUFFER_BYTES);
    }

    private static LiveCapture open(List<Spec> specs, CompletableFuture<String> bpf, Consumer<Frame> sink,
                                    ToIntFunction<Spec> ringBytes) {
        Libpcap.ensureAvailable();
        Trace.mark("libpcap loaded");
        LiveCapture c = new LiveCapture();
        List<CompletableFuture<Reader>> pending = new ArrayList<>();
        for (Spec s : specs) {
            c.where.put(s.point(), s);
            Direction[] dirs = s.ownMac() != 0 ? new Direction[] {null} : new Direction[] {Direction.IN, Direction.OUT};
            for (Direction d : dirs) {
                pending.add(CompletableFuture.supplyAsync(() -> {
                    Reader r = c.new Reader(s.point(), d, s.ownMac(),
                            Namespaces.call(s.ns(), () -> openHandle(s, d, s.bpf() != null
                                    ? CompletableFuture.completedFuture(s.bpf()) : bpf, ringBytes.applyAsInt(s))),
                            sink);
                    r.baseline();
                    return r;
                }, LiveCapture::newThread));
            }
        }
        RuntimeException failure = null;
        for (CompletableFuture<Reader> f : pending) {
            try {
                c.readers.add(f.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : e;
                if (vanished(cause)) {
                    // The interface went down or away between reading the topology and opening it: it simply
                    // is not captured (the report says which points were).
                    continue;
                }
                if (failure == null) {
                    failure = cause;
                }
            }
        }
        if (failure != null) {
            closeAll(c.readers);
            throw failure;
        }
        Trace.mark("handles open");
        c.maxIdleNs = Math.min(MAX_IDLE_MANY_NS, Math.max(MAX_IDLE_NS, MAX_IDLE_NS * c.readers.size() / 12));
        c.drainQuietNs = Math.max(DRAIN_QUIET_NS, 2 * c.maxIdleNs);
        for (Reader r : c.readers) {
            r.thread = newThread(r);
            r.thread.setName("capture:" + r.point.name() + ":" + (r.dir == null ? "both" : r.dir.word()));
            r.thread.start();
        }
        return c;
    }

    private static boolean vanished(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("not up") || m.contains("No such device") || m.contains("doesn't exist");
    }

    /** The points that are captured (an interface that vanished while opening is not). */
    public List<CapturePoint> points() {
        List<CapturePoint> l = new ArrayList<>();
        for (Reader r : readers) {
            if (!l.contains(r.point)) {
                l.add(r.point);
            }
        }
        return l;
    }

    /** Plain daemon threads: namespace work must never run on a pooled thread. */
    private static Thread newThread(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        if (r instanceof Reader) {
            return t;
        }
        t.start();
        return t;
    }

    /**
     * Closing a packet socket waits for an RCU grace period in the kernel (packet_release): close them all at
     * once rather than one after the other.
     */
    private static void closeAll(List<Reader> readers) {
        joinAll(closeHandles(readers, new ArrayList<>()));
    }

    /** Starts closing the handles whose readers are done, each on a thread of its own; adds those threads. */
    private static List<Thread> closeHandles(List<Reader> readers, List<Thread> closers) {
        for (Reader r : readers) {
            if (r.handle.isOpen() && (r.thread == null || !r.thread.isAlive())) {
                closers.add(newThread(r.handle::close));
            }
        }
        return closers;
    }

    /** Waits for the closing threads (5 s each at most); an interrupt ends the wait and is kept. */
    private static void joinAll(List<Thread> closers) {
        for (Thread t : closers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static PcapHandle openHandle(Spec s, Direction d, CompletableFuture<String> filter, int ringBytes) {
        String iface = s.point().iface();
        PcapHandle h;
        try {
            h = LiveHandle.open(iface, SNAPLEN, PromiscuousMode.NONPROMISCUOUS, READ_TIMEOUT_MS, ringBytes,
                    d == null ? PcapHandle.PcapDirection.INOUT : d == Direction.IN ? PcapHandle.PcapDirection.IN
                            : PcapHandle.PcapDirection.OUT);
        } catch (PcapNativeException | RuntimeException e) {
            throw new EnvironmentException("cannot capture on " + s.point().name() + " (" + s.ns().label() + "): "
                    + e.getMessage(), e);
        }
        String bpf;
        try {
            bpf = filter.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            h.close();
            // What kept the filter from coming, as it is: the caller reports that, not this.
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error er) {
                throw er;
            }
            throw new java.util.concurrent.CancellationException("the capture filter did not come");
        }
        try {
            h.setFilter(bpf, BpfProgram.BpfCompileMode.OPTIMIZE);
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException e) {
            h.close();
            throw new EnvironmentException("invalid capture filter '" + bpf + "': " + e.getMessage(), e);
        }
        return h;
    }

    /**
     * Sends a frame out of a captured interface (an ARP request, as arping does). False when it could not be sent
     * (the interface went away, or is not captured): the probe then gets no answer, which the checks report.
     */
    public boolean inject(CapturePoint point, byte[] frame) {
        // Through a socket of its own, so that the point's own handle sees the frame leave (it would not see a frame
        // it sent itself); through the handle when no such socket can be had.
        PacketSocket p = sender(point);
        if (p != null) {
            Boolean sent = p.sendUnlessClosed(frame);
            if (sent != null) {
                return sent;
            }
        }
        for (Reader r : readers) {
            if (r.point.equals(point)) {
                try {
                    r.handle.sendPacket(frame);
                    return true;
                } catch (PcapNativeException | NotOpenException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * The point's sending socket, opened on first use; null once the capture stops or when none can be had. Many
     * containers' probes open theirs at once: the opening (a thread in the namespace) is outside the lock.
     */
    private PacketSocket sender(CapturePoint point) {
        Spec s = where.get(point);
        synchronized (senders) {
            if (s == null || stopAt != Long.MAX_VALUE / 2) {
                return null;
            }
            PacketSocket p = senders.get(point);
            if (p != null) {
                return p;
            }
        }
        PacketSocket opened;
        try {
            opened = PacketSocket.open(s.ns(), point.iface());
        } catch (io.macvlandoctor.EnvironmentException e) {
            // The interface or namespace is gone: the handle says so.
            return null;
        }
        synchronized (senders) {
            PacketSocket had = senders.get(point);
            if (had == null && stopAt == Long.MAX_VALUE / 2) {
                senders.put(point, opened);
                return opened;
            }
            opened.close();
            return had;
        }
    }

    /**
     * Stops after reading what the kernel already queued (each handle until it is idle for one read timeout),
     * collects the statistics and closes the handles. Idempotent.
     */
    public List<CaptureStats> stop() {
        List<CaptureStats> stats = finish();
        joinAll(List.copyOf(closing));
        Trace.mark("capture stopped");
        return stats;
    }

    /**
     * As {@link #stop()}, but returns once the frames and the counters are in, the sockets still closing: each close
     * waits for a grace period of the kernel's (RCU), which the caller's own work (judging the frames) need not wait
     * for. close() waits for them. Idempotent.
     */
    public synchronized List<CaptureStats> finish() {
        if (finished != null) {
            return finished;
        }
        if (stopAt == Long.MAX_VALUE / 2) {
            stopAt = System.nanoTime();
            Trace.mark("capture stopping");
        }
        // The sending sockets start closing while the handles drain, and the handles join them, so that the run
        // waits for about one grace period rather than one per socket, or two in a row.
        synchronized (senders) {
            senders.values().forEach(p -> closing.add(newThread(p::close)));
            senders.clear();
        }
        List<CaptureStats> stats = new ArrayList<>();
        for (Reader r : readers) {
            if (r.stats == null) {
                try {
                    r.thread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                r.stats = readStats(r);
            }
            stats.add(r.stats);
        }
        closeHandles(readers, closing);
        finished = List.copyOf(stats);
        return finished;
    }

    private static CaptureStats readStats(Reader r) {
        try {
            PcapStat s = r.handle.getStats();
            return new CaptureStats(r.point, r.dir, Math.max(0, s.getNumPacketsReceived() - r.baseReceived),
                    Math.max(0, s.getNumPacketsDropped() - r.baseDropped),
                    Math.max(0, s.getNumPacketsDroppedByIf() - r.baseIfDropped), r.captured.get(), r.lost);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            // No counters: a handle whose interface is gone cannot be asked, and one still running can.
            return new CaptureStats(r.point, r.dir, -1, -1, -1, r.captured.get(), r.lost || r.thread.isAlive());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
