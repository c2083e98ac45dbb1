package io.macvlandoctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceTest {
    @Test
    void aPauseHoldsEachTimeOrOnlyTheNth() {
        String[] pauses = "change undone#2@700,captures open@50,fix applied@x".split(",");
        assertThat(Trace.holdAfter(pauses, "change undone", 1)).isZero();
        assertThat(Trace.holdAfter(pauses, "change undone", 2)).isEqualTo(700);
        assertThat(Trace.holdAfter(pauses, "change undone", 3)).isZero();
        assertThat(Trace.holdAfter(pauses, "captures open", 1)).isEqualTo(50);
        assertThat(Trace.holdAfter(pauses, "captures open", 4)).isEqualTo(50);
        // A step whose name begins another's is not it; a pause this build cannot read holds nothing.
        assertThat(Trace.holdAfter(pauses, "captures", 1)).isZero();
        assertThat(Trace.holdAfter(pauses, "fix applied", 1)).isZero();
        assertThat(Trace.holdAfter(new String[] {"change undone#12@5"}, "change undone", 1)).isZero();
        assertThat(Trace.holdAfter(new String[] {"change undone#12@5"}, "change undone", 12)).isEqualTo(5);
    }
}
