package io.macvlandoctor.probe;

import io.macvlandoctor.Signals;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.Parallel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The capture and the kernel's trace of one round of probes, opened side by side: each costs tens of milliseconds
 * of the kernel's own waiting (ring allocation, RCU), so neither waits for the other. The trace records only
 * between start and stop. What it recorded is read only when asked ({@link #read()}: a check failed, or the
 * user asked for the decisions): the kernel printing its events costs tens of milliseconds, hundreds with many
 * containers, and a healthy path needs none of it. Once that is decided ({@link #skip()}, or close), the
 * instance is removed on a thread of its own while the run goes on.
 */
public final class ProbeWindow implements KernelRecording, AutoCloseable {
    private final LiveCapture capture;
    private final KernelTrace trace;
    private final CompletableFuture<Boolean> wanted = new CompletableFuture<>();
    private final CompletableFuture<KernelTrace.Recording> recorded = new CompletableFuture<>();
    private Thread finisher;

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
     * The probes are answered: stops the trace, then the capture. Returns the capture's counters; what the kernel
     * recorded waits in the instance for {@link #read()} or {@link #skip()}.
     */
    public List<CaptureStats> stop() {
        trace.stopRecording();
        finisher = new Thread(() -> {
            try {
                recorded.complete(wanted.join() ? trace.read() : KernelTrace.Recording.none(trace.note()));
            } catch (RuntimeException | Error e) {
                recorded.completeExceptionally(e);
            } finally {
                trace.close();
            }
        }, "trace-close");
        finisher.setDaemon(true);
        finisher.start();
        return capture.stop();
    }

    /** What the kernel recorded between start and stop, read now (once: the instance is removed after). */
    @Override
    public KernelTrace.Recording read() {
        if (finisher == null) {
            return KernelTrace.Recording.none(trace.note());
        }
        wanted.complete(true);
        try {
            return recorded.get();
        } catch (InterruptedException e) {
            throw Signals.interrupted(e);
        } catch (ExecutionException e) {
            return KernelTrace.Recording.none("the kernel's decisions could not be read (" + e.getCause() + ")");
        }
    }

    /** Nothing needs the recording (the path passed): the instance goes now, unread. */
    @Override
    public void skip() {
        wanted.complete(false);
    }

    @Override
    public String note() {
        return trace.note();
    }

    @Override
    public void close() {
        // After a failure or a signal as well: both go, the trace through the journal, whatever happened to the
        // other.
        wanted.complete(false);
        try {
            if (finisher != null) {
                try {
                    finisher.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            trace.close();
        } finally {
            capture.close();
        }
    }
}
