package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a program with an argv (never through a shell) and collects what it printed. */
public class ProcessRunner {
    private static final long TIMEOUT_SECONDS = 30;

    /**
     * Whether this runner is the system's own: reads of the kernel then go over netlink in-process (Ip), not
     * through `ip` processes. A runner that stands in for iproute2 (tests) gets the `ip` reads.
     */
    public boolean live() {
        return true;
    }

    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The first line of stderr, which is where iproute2 says what went wrong. */
        public String firstErrorLine() {
            String e = stderr.strip();
            int nl = e.indexOf('\n');
            return nl < 0 ? e : e.substring(0, nl);
        }
    }

    public Result run(List<String> argv) {
        return run(argv, null);
    }

    /** Runs argv with stdin as its standard input (null: none). */
    public Result run(List<String> argv, String stdin) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new EnvironmentException(argv.get(0) + " not found: " + missingHint(argv.get(0)), e);
        }
        try {
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            String out = drain(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EnvironmentException(String.join(" ", argv) + " did not finish within "
                        + TIMEOUT_SECONDS + " s");
            }
            return new Result(argv, p.exitValue(), out, err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw Signals.interrupted(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String missingHint(String program) {
        return switch (program) {
            case "ip" -> "install iproute2 (apt-get install iproute2)";
            case "nsenter" -> "install util-linux (apt-get install util-linux)";
            default -> "is it installed and on the PATH?";
        };
    }
}
