package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The tool running in the background, for tests that act on the system while it works. */
final class Running implements AutoCloseable {
    final Process process;
    private final File out;
    private final File err;

    private Running(Process process, File out, File err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts the tool with MVD_TRACE on, so that a test can wait for a step instead of sleeping. */
    static Running start(Map<String, String> env, String... args) throws IOException {
        File out = File.createTempFile("mvd-run", ".out");
        File err = File.createTempFile("mvd-run", ".err");
        out.deleteOnExit();
        err.deleteOnExit();
        List<String> argv = Cli.java();
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out).redirectError(err);
        pb.environment().put("MVD_TRACE", "1");
        pb.environment().putAll(env);
        return new Running(pb.start(), out, err);
    }

    void awaitTrace(String step) throws IOException, InterruptedException {
        await(() -> stderrQuietly().contains("] ") && stderrQuietly().contains(step), "trace step '" + step + "'");
    }

    void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("ended before " + what + ": " + stderrQuietly()).isTrue();
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the run must end, not hang").isTrue();
        return process.exitValue();
    }

    String stdout() throws IOException {
        return Files.readString(out.toPath());
    }

    /** stderr without the trace lines. */
    String errors() {
        return stderrQuietly().lines().filter(l -> !l.startsWith("[trace]")).reduce("", (a, b) -> a + b + "\n");
    }

    private String stderrQuietly() {
        try {
            return Files.readString(err.toPath());
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
