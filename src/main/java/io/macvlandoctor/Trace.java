package io.macvlandoctor;

import java.lang.management.ManagementFactory;

/**
 * With MVD_TRACE set, prints on stderr how long after the JVM started each step ended: where the time of a run
 * goes (docs/performance.md), without a profiler.
 */
public final class Trace {
    private static final boolean ON = System.getenv("MVD_TRACE") != null;

    private Trace() {
    }

    public static void mark(String step) {
        if (ON) {
            long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.err.println("[trace] " + sinceStart + " ms  " + step);
        }
    }
}
