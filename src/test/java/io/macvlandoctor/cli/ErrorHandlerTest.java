package io.macvlandoctor.cli;

import static io.macvlandoctor.cli.InProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {
    @Test
    void mapsEachKindOfFailureToItsExitCode() {
        assertThat(ErrorHandler.classify(new UsageException("bad"))).isEqualTo(new ErrorHandler.Outcome(2, "bad"));
        assertThat(ErrorHandler.classify(new EnvironmentException("gone")))
                .isEqualTo(new ErrorHandler.Outcome(3, "gone"));
        assertThat(ErrorHandler.classify(new InterruptedException()).exitCode()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(ErrorHandler.classify(new UncheckedIOException(new IOException("disk full"))))
                .isEqualTo(new ErrorHandler.Outcome(3, "I/O error: IOException: disk full"));
        ErrorHandler.Outcome npe = ErrorHandler.classify(new NullPointerException("x"));
        assertThat(npe.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(npe.message()).startsWith("internal error: NullPointerException: x");
    }

    @Test
    void findsOurFailureInsideWrappers() {
        RuntimeException wrapped = new RuntimeException(new EnvironmentException("no libpcap"));
        assertThat(ErrorHandler.classify(wrapped)).isEqualTo(new ErrorHandler.Outcome(3, "no libpcap"));
    }


    @Test
    void badOptionsGiveExitTwoAndOneLine() {
        for (String[] args : new String[][] {{"nosuch"}, {"setup", "--bogus"}, {"lab", "up", "--fault", "nosuch"},
                {"lab", "up", "--container-ip", "300.1.1.1"}, {"lab", "up", "--parent-iface", "a;b"},
                {"setup", "--container-ip", "1.2.3"}, {}}) {
            InProcess.Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + " -> " + r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("macvlan-doctor: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void completionCoversTheCommands() {
        InProcess.Run r = run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("verify").contains("diagnose").contains("--probe-timeout");
    }

    @Test
    void helpListsTheExitCodes() {
        InProcess.Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("130").contains("lab").contains("setup")
                .contains("verify").contains("diagnose").contains("analyze").contains("shell");
    }
}
