package io.macvlandoctor.probe;

import io.macvlandoctor.Signals;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.Parallel;
import java.util.List;
import java.util.function.Supplier;

/**
 * The capture and the kernel's trace of one round of probes, opened side by side and closed side by side: each
 * costs tens of milliseconds of the kernel's own waiting (ring allocation, RCU), so neither waits for the other.
 * The trace records only between start and stop.
 */
public final class ProbeWindow implements AutoCloseable {
    private final LiveCapture capture;
    private final KernelTrace trace;
    private KernelTrace.Recording recording;
    private List<CaptureStats> stats;

    private ProbeWindow(LiveCapture capture, KernelTrace trace) {
        this.capture = capture;
        this.trace = trace;
    }

    /** Opens the capture and prepares the trace at once; when the capture cannot be opened, the trace goes too. */
    public static ProbeWindow open(Supplier<LiveCapture> capture, Supplier<KernelTrace> tracing) {
        KernelTrace[] trace = new KernelTrace[1];
        try {
            List<Object> both = Parallel.all(List.of(() -> {
                trace[0] = tracing.get();
                return trace[0];
            }, capture::get), "window");
            return new ProbeWindow((LiveCapture) both.get(1), trace[0]);
        } catch (InterruptedException e) {
            closeQuietly(trace[0]);
            throw Signals.interrupted(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(trace[0]);
            throw e;
        }
    }

    private static void closeQuietly(KernelTrace t) {
        if (t != null) {
            t.close();
        }
    }

    public LiveCapture capture() {
        return capture;
    }

    /** The probes begin: the kernel records from now on. */
    public void start() {
        trace.start();
    }

    /**
     * The probes are answered: stops the trace, then stops the capture and removes the trace instance side by
     * side. Returns the capture's counters; the recording is then {@link #recording()}.
     */
    public List<CaptureStats> stop() throws InterruptedException {
        recording = trace.stop();
        List<Object> r = Parallel.all(List.of(capture::stop, () -> {
            trace.close();
            return null;
        }), "window-close");
        @SuppressWarnings("unchecked")
        List<CaptureStats> s = (List<CaptureStats>) r.get(0);
        stats = s;
        return s;
    }

    /** What the kernel recorded between start and stop (nothing before stop). */
    public KernelTrace.Recording recording() {
        return recording == null ? KernelTrace.Recording.none(null) : recording;
    }

    @Override
    public void close() {
        // After a failure or a signal: both go, the trace through the journal, whatever happened to the other.
        try {
            trace.close();
        } finally {
            capture.close();
        }
    }
}
