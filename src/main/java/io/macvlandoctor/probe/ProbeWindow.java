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
 * costs tens of milliseconds of the kernel's own waiting (ring allocation, RCU: removing a trace instance alone
 * takes 40-50 ms), so neither waits for the other. The trace records only between start and stop; its text is
 * taken out before the instance goes, and parsed only when asked ({@link #read()}: a check failed, or the user
 * asked for the decisions), which with many containers is hundreds of milliseconds a healthy path does not need.
 */
public final class ProbeWindow implements KernelRecording, AutoCloseable {
    private final LiveCapture capture;
    private final KernelTrace trace;
    private KernelTrace.Taken taken;
    private KernelTrace.Recording parsed;

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
     * The probes are answered: stops the trace, then, side by side, stops the capture and takes the trace's text
     * out and removes its instance. Returns the capture's counters.
     */
    public List<CaptureStats> stop() throws InterruptedException {
        trace.stopRecording();
        List<Object> r = Parallel.all(List.of(capture::stop, () -> {
            try {
                taken = trace.take();
            } finally {
                trace.close();
            }
            return null;
        }), "window-close");
        @SuppressWarnings("unchecked")
        List<CaptureStats> stats = (List<CaptureStats>) r.get(0);
        return stats;
    }

    /** What the kernel recorded between start and stop, parsed now (once). */
    @Override
    public synchronized KernelTrace.Recording read() {
        if (parsed == null) {
            KernelTrace.Taken t = taken;
            parsed = t == null ? KernelTrace.Recording.none(trace.note()) : t.parse();
        }
        return parsed;
    }

    @Override
    public String note() {
        return taken != null ? taken.note() : trace.note();
    }

    @Override
    public void close() {
        // After a failure or a signal as well: both go, the trace through the journal, whatever happened to the
        // other.
        try {
            trace.close();
        } finally {
            capture.close();
        }
    }
}
