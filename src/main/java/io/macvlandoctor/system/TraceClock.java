package io.macvlandoctor.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace instance's clock against CLOCK_MONOTONIC (System.nanoTime, the probes' clock): a marker line written
 * at a known monotonic moment tells the offset, whatever the instance's clock ("local", the kernel's default, runs
 * tens of milliseconds apart from it).
 */
final class TraceClock {
    /** What is written to trace_marker when recording starts. */
    static final String MARKER = "mvd-clock";
    /** The instance's clock is mono: nothing to correct. */
    static final long MONO = Long.MIN_VALUE;
    /** No marker was written: the offset is not known. */
    static final long UNMARKED = Long.MIN_VALUE + 1;

    private static final Pattern LINE = Pattern.compile("(?m)^.*?\\s(\\d+)\\.(\\d+): tracing_mark_write: "
            + Pattern.quote(MARKER) + "\\s*$");

    private TraceClock() {
    }

    /**
     * Whether the instance's current clock ("[local] global counter ...", the current one in brackets) prints
     * seconds and nanoseconds: counter, x86-tsc, perf and uptime print other units, and are changed to mono.
     */
    static boolean countsNanoseconds(String clocks) {
        int a = clocks.indexOf('['), b = clocks.indexOf(']');
        return a >= 0 && b > a && java.util.Set.of("local", "global", "mono", "mono_raw", "boot", "tai")
                .contains(clocks.substring(a + 1, b));
    }

    /**
     * What to add to the instance's timestamps to make them monotonic time: the marker's monotonic moment minus its
     * timestamp; 0 when the clock is mono already, or when no marker was written or none is in the text (the
     * events then keep their own clock: their order holds).
     */
    static long toMono(String text, long markedMonoNs) {
        if (markedMonoNs == MONO || markedMonoNs == UNMARKED) {
            return 0;
        }
        Matcher m = LINE.matcher(text);
        if (!m.find()) {
            return 0;
        }
        String frac = (m.group(2) + "000000000").substring(0, 9);
        return markedMonoNs - (Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(frac));
    }
}
