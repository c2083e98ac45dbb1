package io.macvlandoctor.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged tool, or any other program, as a separate process and keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    public record Result(List<String> argv, int exit, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", argv) + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        public boolean ok() {
            return exit == 0;
        }
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("mvd.jar", "target/macvlan-doctor.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the jar " + jar + " is missing: run mvn package first");
        }
        return jar;
    }

    /** macvlan-doctor ARGS */
    public static Result tool(String... args) {
        List<String> argv = java();
        argv.addAll(List.of(args));
        return run(argv, 120);
    }

    /** macvlan-doctor ARGS with these environment variables set. */
    public static Result tool(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(java());
        argv.addAll(List.of(args));
        return run(argv, 120);
    }

    /** The JVM options the launcher (src/main/launcher/jvm.bash) runs the jar with. */
    private static final List<String> LAUNCHER = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:CompileThresholdScaling=8", "-Xss512k", "-Xms16m");
    private static Path archive;

    /**
     * The jar on the test JVM's runtime as the launcher runs it, with a class-data archive of this test run's own
     * (made once, by an analyze of a recorded capture): the suite starts the tool hundreds of times on two cores,
     * and the archive saves each start about a quarter of its CPU.
     */
    static synchronized List<String> java() {
        Path jar = jar();
        if (archive == null) {
            Path a = Path.of("target", "it-classes.jsa");
            List<String> make = new ArrayList<>(List.of(javaBin()));
            make.addAll(LAUNCHER);
            make.addAll(List.of("-XX:ArchiveClassesAtExit=" + a, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar",
                    jar.toString(), "analyze", "--capture", "captures/healthy.pcapng"));
            Result r = run(make, 120);
            if (r.exit() != 0 || !Files.exists(a)) {
                throw new IllegalStateException("could not make the class-data archive: " + r);
            }
            archive = a;
        }
        List<String> argv = new ArrayList<>(List.of(javaBin()));
        argv.addAll(LAUNCHER);
        argv.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar",
                jar.toString()));
        return argv;
    }

    /** Any program, e.g. iputils inside a lab namespace. */
    public static Result exec(String... argv) {
        return run(List.of(argv), 60);
    }

    /** A build step (the package, the collection): minutes on a machine busy with the other tests. */
    public static Result build(String... argv) {
        return run(List.of(argv), 300);
    }

    /** A program inside a named namespace; nsenter keeps /sys as it is (ip netns exec would remount it). */
    public static Result inNs(String ns, String... argv) {
        List<String> a = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns));
        a.addAll(List.of(argv));
        return run(a, 60);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Result run(List<String> argv, int timeoutSeconds) {
        try {
            File out = File.createTempFile("mvd-out", ".txt");
            File err = File.createTempFile("mvd-err", ".txt");
            try {
                Process p = new ProcessBuilder(argv).redirectOutput(out).redirectError(err).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", argv));
                }
                return new Result(argv, p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
