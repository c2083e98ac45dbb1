package io.macvlandoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.Main;
import io.macvlandoctor.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badOptionsGiveExitTwoAndOneLine() {
        for (String[] args : new String[][] {{"nosuch"}, {"setup", "--bogus"}, {"lab", "up", "--fault", "nosuch"},
                {"lab", "up", "--container-ip", "300.1.1.1"}, {"lab", "up", "--parent-iface", "a;b"},
                {"setup", "--container-ip", "1.2.3"}, {}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + " -> " + r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("macvlan-doctor: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void completionCoversTheCommands() {
        Run r = run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("verify").contains("diagnose").contains("--probe-timeout");
    }

    @Test
    void helpListsTheExitCodes() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("130").contains("lab").contains("setup")
                .contains("verify").contains("diagnose").contains("analyze").doesNotContain("shell");
    }
}
