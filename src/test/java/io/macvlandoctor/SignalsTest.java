package io.macvlandoctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The last line's bookkeeping, each scenario in a JVM of its own: whether the line was said is the process's
 * state, and other tests in this one say it.
 */
class SignalsTest {
    /**
     * A capture thread reads an interrupted handle's message to see whether its interface vanished: that must not
     * count as the run's last line having been said, or no line comes at all. Once said, it is not given again.
     */
    @Test
    void readingAnInterruptionsMessageIsNotSayingIt() throws IOException, InterruptedException {
        assertThat(run(Reading.class)).containsExactly("message: interrupted; nothing to undo",
                "given out after reading it: interrupted; nothing to undo", "given out again: null");
    }

    /**
     * The watchdog's exit and the run's own end may reach for the line at the same moment (a run that unwound just
     * as its grace ran out): one of them gets it, the other nothing.
     */
    @Test
    void theLineGoesToOneOfThoseWhoAskAtOnce() throws IOException, InterruptedException {
        assertThat(run(Racing.class)).containsExactly("given out: 1 of 8");
    }

    private static List<String> run(Class<?> scenario) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), scenario.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    static final class Reading {
        public static void main(String[] args) {
            ToolException e = Signals.interrupted(new InterruptedException());
            Thread.interrupted();
            System.out.println("message: " + e.getMessage());
            System.out.println("given out after reading it: " + Signals.message());
            System.out.println("given out again: " + Signals.message());
        }
    }

    static final class Racing {
        public static void main(String[] args) throws InterruptedException {
            int n = 8;
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger given = new AtomicInteger();
            List<Thread> askers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (Signals.message() != null) {
                        given.incrementAndGet();
                    }
                });
                t.start();
                askers.add(t);
            }
            go.countDown();
            for (Thread t : askers) {
                t.join();
            }
            System.out.println("given out: " + given.get() + " of " + n);
        }
    }
}
