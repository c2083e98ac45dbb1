package io.macvlandoctor.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.KernelEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On the trace of a healthy verify, recorded from a kernel whose instance kept its default clock ("local", apart
 * from CLOCK_MONOTONIC by tens of milliseconds here): the marker written at start puts the events on the probes'
 * timeline.
 */
class TraceClockTest {
    private static final String TRACE = trace();
    /** The marker's line says 2319.243285 on the instance's clock. */
    private static final long MARKER_TS = 2319_243_285_000L;

    private static String trace() {
        try (var in = TraceClockTest.class.getResourceAsStream("/trace/verify-healthy-local-clock.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theMarkerGivesTheOffsetFromTheInstancesClockToMonotonicTime() {
        long marked = 2319_218_000_123L;
        assertThat(TraceClock.toMono(TRACE, marked)).isEqualTo(marked - MARKER_TS);
        List<KernelEvent> events = TraceLines.parse(TRACE, TraceClock.toMono(TRACE, marked));
        // The first route lookup, 2319.249815: 6.53 ms after the marker, whichever clock printed both.
        assertThat(events.get(0)).isInstanceOf(KernelEvent.Lookup.class);
        assertThat(events.get(0).timeNs() - marked).isEqualTo(6_530_000L);
        assertThat(events).hasSize(11);
    }

    @Test
    void withoutAMarkerOrOnTheMonoClockNothingIsCorrected() {
        String unmarked = TRACE.replace("mvd-clock", "someone else's marker");
        assertThat(TraceClock.toMono(unmarked, 5_000_000_000L)).isZero();
        assertThat(TraceClock.toMono(TRACE, TraceClock.MONO)).isZero();
        assertThat(TraceClock.toMono(TRACE, TraceClock.UNMARKED)).isZero();
        assertThat(TraceLines.parse(unmarked, 0).get(0).timeNs()).isEqualTo(2319_249_815_000L);
    }

    @Test
    void onlyClocksThatCountNanosecondsAreKept() {
        assertThat(TraceClock.countsNanoseconds("[local] global counter uptime perf mono mono_raw boot tai x86-tsc\n"))
                .isTrue();
        assertThat(TraceClock.countsNanoseconds("local global [boot]\n")).isTrue();
        assertThat(TraceClock.countsNanoseconds("local [counter] mono\n")).isFalse();
        assertThat(TraceClock.countsNanoseconds("local mono [x86-tsc]\n")).isFalse();
        assertThat(TraceClock.countsNanoseconds("")).isFalse();
    }
}
