package io.macvlandoctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalsTest {
    /**
     * A capture thread reads an interrupted handle's message to see whether its interface vanished: that must not
     * count as the run's last line having been said, or no line comes at all.
     */
    @Test
    void readingAnInterruptionsMessageIsNotSayingIt() {
        ToolException e = Signals.interrupted(new InterruptedException());
        // interrupted() keeps the thread's flag set, as a worker's would be.
        assertThat(Thread.interrupted()).isTrue();
        assertThat(e.getMessage()).startsWith("interrupted").contains("nothing to undo");
        assertThat(Signals.told()).isFalse();
        assertThat(Signals.message()).isEqualTo(e.getMessage());
        assertThat(Signals.told()).isTrue();
    }
}
