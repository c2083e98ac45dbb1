package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signals at every phase of every command that changes something or probes: held at a step (MVD_TRACE_PAUSE) and
 * signalled there, or signalled a spread of milliseconds after the start. Each run must end with 128 + the
 * signal's number, one line on stderr naming the signal (no stack frame, no exception), and the host as it was:
 * no shim, route or sysctl left, no trace instance, no lab namespace.
 */
@RootOnly
@Order(LongestFirst.SIGNALS)
class SignalMatrixIT {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
    private static final Map<String, Integer> CODE = Map.of("INT", 130, "TERM", 143, "HUP", 129);
    /** Where the run is held for the signal: long enough for it to land there, short enough for the suite. */
    private static final int HOLD_MS = 2500;
    private static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

    /** A moment: the nth time a step is reached (the run held there), or (step null) ms after main started. */
    record Moment(String step, int nth, int ms) {
        static Moment at(String step) {
            return new Moment(step, 1, 0);
        }

        static Moment at(String step, int nth) {
            return new Moment(step, nth, 0);
        }

        static Moment after(int ms) {
            return new Moment(null, 0, ms);
        }

        @Override
        public String toString() {
            return step == null ? ms + " ms" : "'" + step + "'" + (nth > 1 ? " (#" + nth + ")" : "");
        }
    }

    /** Signals rotate over the moments, so that each signal meets each kind of phase across the commands. */
    private static Stream<Arguments> rotate(List<Moment> moments, int offset) {
        List<Arguments> a = new ArrayList<>();
        for (int i = 0; i < moments.size(); i++) {
            a.add(Arguments.of(SIGNALS.get((i + offset) % SIGNALS.size()), moments.get(i)));
        }
        return a.stream();
    }

    /** The phases of a run, the first time each comes (the probes before the fix). */
    private static final List<String> PROBING = List.of("handles open", "captures open", "host echo sent",
            "container resolution sent", "capture stopping", "change undone", "report writing");

    static Stream<Arguments> verifySetupMoments() {
        List<Moment> m = new ArrayList<>();
        m.add(Moment.at("target resolved"));
        PROBING.forEach(s -> m.add(Moment.at(s)));
        // The round after the fix: the signal must undo it.
        m.add(Moment.at("change made"));
        m.add(Moment.at("fix applied"));
        m.add(Moment.at("captures open", 2));
        m.add(Moment.at("host echo sent", 2));
        // The moments of the report that found a socket closed under a probe thread: 0.3 s to 1.5 s in.
        for (int ms = 300; ms <= 1500; ms += 300) {
            m.add(Moment.after(ms));
        }
        return rotate(m, 0);
    }

    @ParameterizedTest(name = "verify --setup, SIG{0} at {1}")
    @MethodSource("verifySetupMoments")
    void verifySetup(String signal, Moment at) throws Exception {
        try (HandBuilt t = HandBuilt.create(true, false, false)) {
            String before = t.hostState();
            Ended e = run(signal, at, t.target("verify", "--setup", "--probe-timeout", "1s"));
            e.assertSignalled(signal);
            assertThat(t.hostState()).as(e.stderr).isEqualTo(before);
            if (at.nth() == 2 || "fix applied".equals(at.step())) {
                // The shim, its link state and its route: made, and undone after the signal.
                assertThat(e.stderr).contains("undid this run's 3 changes");
            }
        }
    }

    static Stream<Arguments> setupMoments() {
        return rotate(List.of(Moment.at("target resolved"), Moment.at("change made"), Moment.at("change made", 2)),
                1);
    }

    @ParameterizedTest(name = "setup, SIG{0} at {1}")
    @MethodSource("setupMoments")
    void setup(String signal, Moment at) throws Exception {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, false)) {
            String before = t.hostState();
            Ended e = run(signal, at, t.target("setup"));
            e.assertSignalled(signal);
            assertThat(t.hostState()).as(e.stderr).isEqualTo(before);
        }
    }

    static Stream<Arguments> repairMoments() {
        return rotate(List.of(Moment.at("host echo sent"), Moment.at("change made"), Moment.at("fix applied"),
                Moment.at("report writing")), 2);
    }

    /** diagnose --apply on a shim without its route: its fix goes again unless its verification was reported. */
    @ParameterizedTest(name = "diagnose --apply, SIG{0} at {1}")
    @MethodSource("repairMoments")
    void diagnoseApply(String signal, Moment at) throws Exception {
        try (HandBuilt t = HandBuilt.create()) {
            t.ip("-n", t.host, "route", "del", t.n.ctrIp(), "dev", t.n.shim());
            String before = t.hostState();
            Ended e = run(signal, at, t.target("diagnose", "--apply", "--yes", "--probe-timeout", "1s"));
            e.assertSignalled(signal);
            if (!"report writing".equals(at.step())) {
                assertThat(t.hostState()).as(e.stderr).isEqualTo(before);
            } else {
                // Verified and being reported: the fix stays, journaled, and teardown takes it back.
                assertThat(Cli.tool(t.target("teardown")).exit()).isZero();
                assertThat(t.hostState()).isEqualTo(before);
            }
        }
    }

    /** teardown held between two undone changes: the signal waits until the last is undone. */
    @ParameterizedTest(name = "teardown, SIG{0} while undoing")
    @MethodSource("signals")
    void teardown(String signal) throws Exception {
        try (HandBuilt t = HandBuilt.create(true, false, false)) {
            String before = t.hostState();
            assertThat(Cli.tool(t.target("setup")).exit()).isZero();
            Ended e = run(signal, Moment.at("change undone"), t.target("teardown"));
            e.assertSignalled(signal);
            assertThat(t.hostState()).as(e.stderr).isEqualTo(before);
        }
    }

    static Stream<String> signals() {
        return SIGNALS.stream();
    }

    static Stream<Arguments> labMoments() {
        return rotate(List.of(Moment.at("lab namespaces made"), Moment.at("lab topology built"), Moment.after(150)),
                0);
    }

    @ParameterizedTest(name = "lab up --fixed, SIG{0} at {1}")
    @MethodSource("labMoments")
    void labUp(String signal, Moment at) throws Exception {
        String name = "sig" + ProcessHandle.current().pid() + signal.toLowerCase() + SEQ.incrementAndGet();
        try {
            Ended e = run(signal, at, "lab", "up", "--name", name, "--fixed");
            e.assertSignalled(signal);
            assertThat(labNamespaces("mvd-" + name + "-")).as(e.stderr).isEmpty();
        } finally {
            Cli.tool("lab", "down", "--name", name);
        }
    }

    @ParameterizedTest(name = "lab down, SIG{0} while removing")
    @MethodSource("signals")
    void labDown(String signal) throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Ended e = run(signal, Moment.at("lab emptied"), "lab", "down", "--name", lab.name);
            e.assertSignalled(signal);
            assertThat(labNamespaces("mvd-" + lab.name + "-")).as(e.stderr).isEmpty();
        }
    }

    @ParameterizedTest(name = "lab verify, SIG{0} at {1}")
    @MethodSource("labVerifyMoments")
    void labVerify(String signal, Moment at) throws Exception {
        Ended e = run(signal, at, "lab", "verify");
        e.assertSignalled(signal);
        assertThat(labNamespaces("mvd-verify-" + e.pid + "-")).as(e.stderr).isEmpty();
    }

    static Stream<Arguments> labVerifyMoments() {
        return rotate(List.of(Moment.at("lab namespaces made"), Moment.at("host echo sent")), 1);
    }

    /** A piped shell waiting for its next line, with a setup of its own: undone, whatever the signal. */
    @ParameterizedTest(name = "piped shell, SIG{0} waiting for input")
    @MethodSource("signals")
    void pipedShell(String signal) throws Exception {
        try (HandBuilt t = HandBuilt.create(true, false, false)) {
            String before = t.hostState();
            Path out = Files.createTempFile("mvd-sig", ".out");
            Path err = Files.createTempFile("mvd-sig", ".err");
            try {
                Process p = start(Map.of(), out, err, t.target("shell"));
                try (OutputStream in = p.getOutputStream()) {
                    in.write("setup\n".getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    awaitText(p, out, "this fix is undone when the shell ends (setup --keep keeps it)", 1);
                    assertThat(t.hostState()).isNotEqualTo(before);
                    kill(p, signal);
                    Ended e = Ended.of(p, err);
                    e.assertSignalled(signal);
                }
                assertThat(t.hostState()).isEqualTo(before);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }

    /**
     * A reader that goes away: `| true` closes the pipe before a byte is written (the run ends as SIGPIPE would
     * end it, 141, after undoing its changes); `| head -1` takes the first line, and whether the rest still fit in
     * the pipe decides between 141 and the verdict's code.
     */
    @ParameterizedTest(name = "verify --setup | {0}")
    @MethodSource("readers")
    void aReaderThatClosesThePipe(String reader) throws Exception {
        try (HandBuilt t = HandBuilt.create(true, false, false)) {
            String before = t.hostState();
            Path err = Files.createTempFile("mvd-sig", ".err");
            try {
                String tool = String.join(" ", Cli.java()) + " "
                        + String.join(" ", t.target("verify", "--setup", "--probe-timeout", "1s"));
                Cli.Result r = Cli.exec("bash", "-c", tool + " 2>" + err + " | " + reader
                        + "; echo \"exit ${PIPESTATUS[0]}\"");
                String stderr = Files.readString(err);
                int exit = Integer.parseInt(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()
                        .substring("exit ".length()));
                assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
                if (reader.equals("true")) {
                    assertThat(exit).as(stderr).isEqualTo(141);
                } else {
                    assertThat(r.out().lines().findFirst().orElse("")).as("the report's first line")
                            .startsWith("parent");
                    assertThat(exit).as(stderr).isIn(0, 141);
                }
                if (exit == 141) {
                    assertThat(stderr.strip().lines().toList()).as(stderr).containsExactly("macvlan-doctor: stdout "
                            + "closed by its reader (SIGPIPE), the output is incomplete; undid this run's 3 changes");
                } else {
                    assertThat(stderr).isEmpty();
                }
                assertThat(t.hostState()).as(stderr).isEqualTo(before);
            } finally {
                Files.deleteIfExists(err);
            }
        }
    }

    static Stream<String> readers() {
        return Stream.of("true", "head -1");
    }

    /** How a run ended: its exit code, stderr without the trace lines, its pid. */
    record Ended(int exit, String stderr, long pid) {
        static Ended of(Process p, Path err) throws Exception {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the run ends, not hangs").isTrue();
            String e = Files.readString(err).lines().filter(l -> !l.startsWith("[trace]"))
                    .reduce("", (a, b) -> a + b + "\n");
            return new Ended(p.exitValue(), e, p.pid());
        }

        void assertSignalled(String signal) throws Exception {
            assertThat(exit).as(stderr).isEqualTo(CODE.get(signal));
            assertThat(stderr.strip().lines().toList()).as("one line").hasSize(1);
            assertThat(stderr).contains("macvlan-doctor: interrupted by SIG" + signal + "; ")
                    .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal error");
            assertThat(Tracing.leftovers()).as("trace instances left").isEmpty();
        }
    }

    /**
     * Runs the tool and signals it at the moment; the run is also held at its end ("output written"), so that a
     * signal timed in milliseconds always finds it alive.
     */
    private static Ended run(String signal, Moment at, String... args) throws Exception {
        Path out = Files.createTempFile("mvd-sig", ".out");
        Path err = Files.createTempFile("mvd-sig", ".err");
        try {
            // Held there only: held at every later time the step comes too, a run would outlast the signal's grace.
            String pause = at.step() != null ? at.step() + "#" + at.nth() + "@" + HOLD_MS : "output written@" + HOLD_MS;
            Process p = start(Map.of("MVD_TRACE_PAUSE", pause), out, err, args);
            try {
                if (at.step() != null) {
                    awaitText(p, err, "  " + at.step(), at.nth());
                } else {
                    // Counted from main: before it the JVM is starting and a signal ends it the JVM's way.
                    awaitText(p, err, "  main", 1);
                    Thread.sleep(at.ms());
                }
                assertThat(p.isAlive()).as("alive when signalled: " + Files.readString(err)).isTrue();
                kill(p, signal);
                return Ended.of(p, err);
            } finally {
                p.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Process start(Map<String, String> env, Path out, Path err, String... args) throws Exception {
        // A child of a background job inherits SIGINT ignored, and the JVM then cannot catch it; perl restores the
        // default dispositions, as an interactive shell has them.
        List<String> argv = new ArrayList<>(List.of("perl", "-e",
                "$SIG{INT}='DEFAULT'; $SIG{HUP}='DEFAULT'; exec @ARGV or die $!", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", Cli.jar().toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> e = new HashMap<>(env);
        e.put("MVD_TRACE", "1");
        pb.environment().putAll(e);
        return pb.start();
    }

    /** Waits for the nth line of FILE that ends with TEXT. */
    private static void awaitText(Process p, Path file, String text, int nth) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (Files.readString(file).lines().filter(l -> l.endsWith(text)).count() < nth) {
            assertThat(p.isAlive()).as("ended before '" + text + "': " + Files.readString(file)).isTrue();
            assertThat(System.nanoTime()).as("waiting for '" + text + "'").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void kill(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    private static List<String> labNamespaces(String prefix) {
        return Cli.exec("ip", "netns", "list").out().lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(prefix)).toList();
    }
}
