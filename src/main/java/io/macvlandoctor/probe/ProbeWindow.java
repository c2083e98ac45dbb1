package io.macvlandoctor.probe;

import io.macvlandoctor.Signals;
import io.macvlandoctor.Trace;
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
    /** The trace instance's removal, started by stop(). */
    private volatile Thread removing;

    private ProbeWindow(LiveCapture capture, KernelTrace trace) {
        this.capture = capture;
        this.trace = trace;
    }

    /** Opens the capture and prepares the trace at once; when the capture cannot be opened, the trace goes too. */
    public static ProbeWindow open(Supplier<LiveCapture> capture, Supplier<KernelTrace> tracing) {
        return open(capture, tracing, null, null);
    }

    /**
     * As {@link #open(Supplier, Supplier)}, with other work beside (reading the facts the probes need), whose result
     * goes to done; when any of the three fails, the others are stopped and whatever opened is closed.
     */
    public static <T> ProbeWindow open(Supplier<LiveCapture> capture, Supplier<KernelTrace> tracing,
                                       Parallel.Task<T> beside, java.util.function.Consumer<T> done) {
        KernelTrace[] trace = new KernelTrace[1];
        List<Parallel.Task<Object>> tasks = new java.util.ArrayList<>(List.of(() -> {
            trace[0] = tracing.get();
            return trace[0];
        }, capture::get));
        if (beside != null) {
            tasks.add(beside::run);
        }
        try {
            List<Object> all = Parallel.all(tasks, "window");
            if (beside != null) {
                @SuppressWarnings("unchecked")
                T result = (T) all.get(2);
                done.accept(result);
            }
            return new ProbeWindow((LiveCapture) all.get(1), trace[0]);
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
     * out; returns the capture's counters. The sockets' closing and the instance's removal, kernel waits of tens of
     * milliseconds, go on while the caller judges the frames: close() waits for them.
     */
    public List<CaptureStats> stop() throws InterruptedException {
        trace.stopRecording();
        List<Object> r = Parallel.all(List.of(capture::finish, () -> {
            taken = trace.take();
            // Removed from now on, while the capture drains.
            Thread t = new Thread(trace::close, "window-close:trace");
            t.setDaemon(true);
            removing = t;
            t.start();
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
        // other. The instance's removal started by stop() is waited for (its undo is not interruptible).
        try {
            Thread t = removing;
            boolean interrupted = false;
            while (t != null && t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    // A signal: the run ends once its instance is gone; the interrupt is kept for it.
                    interrupted = true;
                }
            }
            trace.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            capture.close();
            Trace.mark("window closed");
        }
    }
}
