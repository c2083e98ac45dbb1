package io.macvlandoctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SignalsTest {
    /**
     * A capture thread reads an interrupted handle's message to see whether its interface vanished: that must not
     * count as the run's last line having been said, or no line comes at all. In a JVM of its own: whether the
     * line was said is the process's state, and other tests in this one say it.
     */
    @Test
    void readingAnInterruptionsMessageIsNotSayingIt() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines()).as(out).containsExactly(
                "message: interrupted; nothing to undo", "told after reading it: false",
                "told after saying it: true");
    }

    /** The scenario, in a fresh JVM. */
    static final class Probe {
        public static void main(String[] args) {
            ToolException e = Signals.interrupted(new InterruptedException());
            Thread.interrupted();
            System.out.println("message: " + e.getMessage());
            System.out.println("told after reading it: " + Signals.told());
            Signals.message();
            System.out.println("told after saying it: " + Signals.told());
        }
    }
}
