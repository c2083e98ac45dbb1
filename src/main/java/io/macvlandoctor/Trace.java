package io.macvlandoctor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * With MVD_TRACE set, prints on stderr how long after the start of main each step ended: where the time of a run
 * goes (docs/performance.md), without a profiler. MVD_TRACE_PAUSE=STEP@MS holds the run for MS milliseconds after
 * each STEP, STEP#N@MS only after the Nth (several, comma-separated), to look at (or change) the system at that
 * moment: the tests remove a capture point in the middle of a run, or send a signal in a given phase, this way.
 */
public final class Trace {
    private static final boolean ON = System.getenv("MVD_TRACE") != null;
    private static final String[] PAUSES = System.getenv("MVD_TRACE_PAUSE") == null ? new String[0]
            : System.getenv("MVD_TRACE_PAUSE").split(",");
    /** Times are counted from the first mark (the start of main): the JVM's own start is measured from outside. */
    private static final long START = System.nanoTime();
    /** How often each step was marked, for the pauses at the Nth time. */
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private Trace() {
    }

    public static void mark(String step) {
        if (ON) {
            long sinceStart = (System.nanoTime() - START) / 1_000_000;
            System.err.println("[trace] " + sinceStart + " ms  " + step);
        }
        if (PAUSES.length == 0) {
            return;
        }
        long ms = holdAfter(PAUSES, step, SEEN.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet());
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long PAUSES hold the run after the NTH time STEP is marked: the sum of those that name it, in ms. */
    static long holdAfter(String[] pauses, String step, int nth) {
        long ms = 0;
        for (String pause : pauses) {
            if (pause.startsWith(step + "@") || pause.startsWith(step + "#" + nth + "@")) {
                try {
                    ms += Long.parseLong(pause.substring(pause.lastIndexOf('@') + 1));
                } catch (NumberFormatException e) {
                    // Not a pause this build understands: run on.
                }
            }
        }
        return ms;
    }
}
