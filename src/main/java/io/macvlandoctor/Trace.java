package io.macvlandoctor;

/**
 * With MVD_TRACE set, prints on stderr how long after the start of main each step ended: where the time of a run
 * goes (docs/performance.md), without a profiler. MVD_TRACE_PAUSE=STEP@MS holds the run for MS milliseconds after
 * STEP (several, comma-separated), to look at (or change) the system at that moment: the tests remove a capture
 * point in the middle of a run, or send a signal in a given phase, this way.
 */
public final class Trace {
    private static final boolean ON = System.getenv("MVD_TRACE") != null;
    private static final String[] PAUSES = System.getenv("MVD_TRACE_PAUSE") == null ? new String[0]
            : System.getenv("MVD_TRACE_PAUSE").split(",");
    /** Times are counted from the first mark (the start of main): the JVM's own start is measured from outside. */
    private static final long START = System.nanoTime();

    private Trace() {
    }

    public static void mark(String step) {
        if (ON) {
            long sinceStart = (System.nanoTime() - START) / 1_000_000;
            System.err.println("[trace] " + sinceStart + " ms  " + step);
        }
        for (String pause : PAUSES) {
            if (pause.startsWith(step + "@")) {
                try {
                    Thread.sleep(Long.parseLong(pause.substring(step.length() + 1)));
                } catch (NumberFormatException e) {
                    // Not a pause this build understands: run on.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
