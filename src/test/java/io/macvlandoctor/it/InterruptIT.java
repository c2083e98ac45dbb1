package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGINT or SIGTERM in the middle of verify --setup: its changes are undone and it exits 130 or 143. */
@RootOnly
class InterruptIT {
    @Test
    void sigintAfterTheFixUndoesItAndExits130() throws Exception {
        interrupt("INT", 130);
    }

    @Test
    void sigtermUndoesItAndExits143() throws Exception {
        interrupt("TERM", 143);
    }

    private static void interrupt(String signal, int exit) throws Exception {
        try (TestLab lab = TestLab.up()) {
            // With arp_ignore=1 the container side keeps failing after the fix, so the second round waits for its
            // long timeout: the moment to interrupt, with the fix in place.
            Cli.inNs(lab.hostNs(), "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
            String before = lab.hostState();
            File out = File.createTempFile("mvd-int", ".out");
            File err = File.createTempFile("mvd-int", ".err");
            out.deleteOnExit();
            err.deleteOnExit();
            // A child started from a background job inherits SIGINT ignored, and the JVM then cannot catch it; perl
            // (always on Debian) restores the default disposition, as an interactive shell would have it.
            Process p = new ProcessBuilder(List.of("perl", "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die $!", "--",
                    javaBin(), "-jar", Cli.jar().toString(), "verify", "--lab",
                    lab.name, "--setup", "--probe-timeout", "4s")).redirectOutput(out).redirectError(err).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!lab.routes().contains("macvlan0-host")) {
                    assertThat(p.isAlive()).as("verify ended before the fix was applied").isTrue();
                    assertThat(System.nanoTime()).as("the fix never appeared").isLessThan(deadline);
                    Thread.sleep(20);
                }
                new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            String stderr = Files.readString(err.toPath());
            assertThat(p.exitValue()).as(stderr).isEqualTo(exit);
            assertThat(stderr.strip().lines()).hasSize(1);
            assertThat(stderr).contains("interrupted by SIG" + signal + "; undid this run's 3 changes");
            assertThat(lab.hostState()).isEqualTo(before);
        }
    }

    private static String javaBin() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
