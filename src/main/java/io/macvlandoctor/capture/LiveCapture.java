package io.macvlandoctor.capture;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.system.Namespaces;
import java.io.EOFException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
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
    /** An interface to capture on, in its namespace. */
    public record Spec(CapturePoint point, Netns ns) {
    }

    private static final int SNAPLEN = 65535;
    private static final int BUFFER_BYTES = 8 << 20;
    private static final int READ_TIMEOUT_MS = 10;
    /**
     * Handles are non-blocking and polled with a back-off: with TPACKET_V3 libpcap blocks in poll() until a
     * packet comes, whatever the timeout, so a blocking reader could never notice that it should stop.
     */
    private static final long MIN_IDLE_NS = 50_000L;
    private static final long MAX_IDLE_NS = 2_000_000L;
    /** After stop(), a handle is drained until it has been quiet this long (frames still in a softirq). */
    private static final long DRAIN_QUIET_NS = 5_000_000L;
    /** How long stop() keeps draining a busy handle before giving up on it. */
    private static final long DRAIN_LIMIT_NS = 200_000_000L;

    private final List<Reader> readers = new ArrayList<>();
    private volatile long stopAt = Long.MAX_VALUE / 2;

    private final class Reader implements Runnable {
        final CapturePoint point;
        final Direction dir;
        final PcapHandle handle;
        final Consumer<Frame> sink;
        final AtomicLong captured = new AtomicLong();
        volatile Exception error;
        Thread thread;
        CaptureStats stats;

        Reader(CapturePoint point, Direction dir, PcapHandle handle, Consumer<Frame> sink) {
            this.point = point;
            this.dir = dir;
            this.handle = handle;
            this.sink = sink;
        }

        @Override
        public void run() {
            long idleNs = MIN_IDLE_NS;
            long lastFrame = System.nanoTime();
            while (true) {
                try {
                    byte[] raw = handle.getNextRawPacketEx();
                    // pcap4j 1.8.2 keeps the timestamp and original length in thread-locals of this thread.
                    Timestamp ts = handle.getTimestamp();
                    Integer orig = handle.getOriginalLength();
                    long ns = Math.floorDiv(ts.getTime(), 1000) * 1_000_000_000L + ts.getNanos();
                    sink.accept(FrameDecoder.decode(point, dir, ns, raw, orig == null ? raw.length : orig));
                    captured.incrementAndGet();
                    lastFrame = System.nanoTime();
                    idleNs = MIN_IDLE_NS;
                    if (lastFrame - stopAt > DRAIN_LIMIT_NS) {
                        return;
                    }
                } catch (TimeoutException e) {
                    // Non-blocking: nothing queued right now.
                    long now = System.nanoTime();
                    if (now - Math.max(stopAt, lastFrame) > DRAIN_QUIET_NS && now > stopAt) {
                        return;
                    }
                    LockSupport.parkNanos(idleNs);
                    idleNs = Math.min(MAX_IDLE_NS, idleNs * 2);
                } catch (EOFException e) {
                    return;
                } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                    error = e;
                    return;
                }
            }
        }
    }

    private LiveCapture() {
    }

    /** Opens every handle (IN and OUT per point), then starts reading. Nothing is left open on failure. */
    public static LiveCapture open(List<Spec> specs, String bpf, Consumer<Frame> sink) {
        Libpcap.ensureAvailable();
        LiveCapture c = new LiveCapture();
        Map<Netns, List<Spec>> byNs = new LinkedHashMap<>();
        for (Spec s : specs) {
            byNs.computeIfAbsent(s.ns(), k -> new ArrayList<>()).add(s);
        }
        try {
            for (Map.Entry<Netns, List<Spec>> e : byNs.entrySet()) {
                // Handles keep the namespace they were created in: open them on a thread inside it.
                List<Reader> opened = Namespaces.call(e.getKey(), () -> {
                    List<Reader> l = new ArrayList<>();
                    try {
                        for (Spec s : e.getValue()) {
                            for (Direction d : new Direction[] {Direction.IN, Direction.OUT}) {
                                l.add(c.new Reader(s.point(), d, openHandle(s, d, bpf), sink));
                            }
                        }
                    } catch (RuntimeException ex) {
                        l.forEach(r -> r.handle.close());
                        throw ex;
                    }
                    return l;
                });
                c.readers.addAll(opened);
            }
        } catch (RuntimeException ex) {
            c.readers.forEach(r -> r.handle.close());
            throw ex;
        }
        for (Reader r : c.readers) {
            r.thread = new Thread(r, "capture:" + r.point.name() + ":" + r.dir.word());
            r.thread.setDaemon(true);
            r.thread.start();
        }
        return c;
    }

    private static PcapHandle openHandle(Spec s, Direction d, String bpf) {
        String iface = s.point().iface();
        PcapHandle h;
        try {
            h = new PcapHandle.Builder(iface).snaplen(SNAPLEN).promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MS).bufferSize(BUFFER_BYTES)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO).immediateMode(true)
                    .direction(d == Direction.IN ? PcapHandle.PcapDirection.IN : PcapHandle.PcapDirection.OUT)
                    .build();
        } catch (PcapNativeException | RuntimeException e) {
            throw new EnvironmentException("cannot capture on " + s.point().name() + " (" + s.ns().label() + "): "
                    + e.getMessage(), e);
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

    /** Sends a frame out of a captured interface (an ARP request, as arping does). */
    public void inject(CapturePoint point, byte[] frame) {
        for (Reader r : readers) {
            if (r.point.equals(point)) {
                try {
                    r.handle.sendPacket(frame);
                    return;
                } catch (PcapNativeException | NotOpenException e) {
                    throw new EnvironmentException("cannot send on " + point.name() + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException("not captured: " + point);
    }

    /**
     * Stops after reading what the kernel already queued (each handle until it is idle for one read timeout),
     * collects the statistics and closes the handles. Idempotent.
     */
    public List<CaptureStats> stop() {
        if (stopAt == Long.MAX_VALUE / 2) {
            stopAt = System.nanoTime();
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
                if (!r.thread.isAlive()) {
                    r.handle.close();
                }
            }
            stats.add(r.stats);
        }
        return stats;
    }

    /** The first capture error (e.g. the interface went away), or null. */
    public Exception error() {
        for (Reader r : readers) {
            if (r.error != null) {
                return r.error;
            }
        }
        return null;
    }

    private static CaptureStats readStats(Reader r) {
        try {
            PcapStat s = r.handle.getStats();
            return new CaptureStats(r.point, r.dir, s.getNumPacketsReceived(), s.getNumPacketsDropped(),
                    s.getNumPacketsDroppedByIf(), r.captured.get());
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            return new CaptureStats(r.point, r.dir, -1, -1, -1, r.captured.get());
        }
    }

    @Override
    public void close() {
        stop();
        for (Reader r : readers) {
            if (r.handle.isOpen() && !r.thread.isAlive()) {
                r.handle.close();
            }
        }
    }
}
