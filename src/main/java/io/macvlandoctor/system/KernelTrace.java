package io.macvlandoctor.system;

import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.TraceInstance;
import io.macvlandoctor.model.change.TraceMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's own decisions while the probes run, from a trace instance of the run's own (tracefs
 * instances/mvd-RUN): every route lookup (fib, fib6), neighbour update and dropped packet with its reason. The
 * instance is made and removed through the journal, so kill -9 and `teardown --recover` leave nothing; the global
 * trace settings and other tools' instances are never touched. Its buffer is the kernel's own bound, its events are
 * filtered in the kernel, and it records only while the probes run; events lost to a full buffer are counted.
 * Where tracefs cannot be had, the run goes on without it and says why.
 */
public final class KernelTrace implements AutoCloseable {
    /** The events, and the filters that keep the kernel from recording what cannot concern the probes. */
    private static final Map<String, String> EVENTS = new LinkedHashMap<>();

    static {
        // Lookups in the local table are the host's own addresses: never a decision about the path.
        EVENTS.put("fib/fib_table_lookup", "tb_id != 255");
        EVENTS.put("fib6/fib6_table_lookup", "tb_id != 255");
        EVENTS.put("neigh/neigh_update", null);
        // IPv4, ARP and IPv6 only.
        EVENTS.put("skb/kfree_skb", "protocol == 2048 || protocol == 2054 || protocol == 34525");
    }

    private static final Pattern STAT = Pattern.compile("(?m)^(overrun|dropped events): (\\d+)");

    /**
     * What a probe window recorded: the events (not yet matched to the probes), this process's thread ids, how
     * many events the buffer lost, and a note when there is something to say (unavailable, events lost).
     */
    public record Recording(List<KernelEvent> events, Set<Integer> ownTids, long lost, String note) {
        public Recording {
            events = List.copyOf(events);
            ownTids = Set.copyOf(ownTids);
        }

        public static Recording none(String note) {
            return new Recording(List.of(), Set.of(), 0, note);
        }
    }

    private final Journal journal;
    private final Path instance;
    private final String unavailable;
    private final List<String> skipped;
    /** When the clock marker was written (CLOCK_MONOTONIC), or TraceClock.MONO / UNMARKED. */
    private volatile long markedMonoNs = TraceClock.UNMARKED;

    private KernelTrace(Journal journal, Path instance, String unavailable, List<String> skipped) {
        this.journal = journal;
        this.instance = instance;
        this.unavailable = unavailable;
        this.skipped = skipped;
    }

    /** Tracing off (--no-trace): a window that records nothing and says nothing. */
    public static KernelTrace off() {
        return new KernelTrace(null, null, null, List.of());
    }

    /**
     * Makes the instance ready to record: mounted tracefs (ours, when none is), the instance, its buffer, clock,
     * filters and events. Never throws: what fails makes a window that records nothing and says why.
     */
    public static KernelTrace prepare(Journal journal) {
        Path inst = null;
        try {
            Path root = tracefs(journal);
            inst = root.resolve("instances").resolve(name(journal));
            if (!Files.isDirectory(root.resolve("instances"))) {
                return unavailable(journal, "this kernel's tracefs has no instances");
            }
            journal.apply(new TraceInstance(inst.toString()));
            write(inst.resolve("tracing_on"), "0");
            // The buffer stays the size the kernel gives a new instance (trace_buf_size: 1.4 MB per CPU unless
            // booted otherwise), allocated by the mkdir already: shrinking it cost every run 17-20 ms and would
            // not lower the peak.
            // The events are put on the frames' timeline by a marker written when recording starts (start()), not by
            // setting the instance's clock to mono: a clock change empties the buffer and waits for the kernel's RCU
            // (20-30 ms of every run). Only a clock that does not count nanoseconds is changed.
            boolean mono = !TraceClock.countsNanoseconds(Files.readString(inst.resolve("trace_clock")));
            if (mono) {
                write(inst.resolve("trace_clock"), "mono");
            }
            List<String> skipped = new ArrayList<>();
            for (Map.Entry<String, String> e : EVENTS.entrySet()) {
                Path ev = inst.resolve("events").resolve(e.getKey());
                if (!Files.exists(ev.resolve("enable"))) {
                    skipped.add(e.getKey());
                    continue;
                }
                if (e.getValue() != null) {
                    try {
                        write(ev.resolve("filter"), e.getValue());
                    } catch (IOException noFilter) {
                        // An older format without that field: recorded unfiltered, matched all the same.
                    }
                }
                write(ev.resolve("enable"), "1");
            }
            KernelTrace t = new KernelTrace(journal, inst, null, skipped);
            t.markedMonoNs = mono ? TraceClock.MONO : TraceClock.UNMARKED;
            return t;
        } catch (IOException | RuntimeException e) {
            KernelTrace t = unavailable(journal, e.getMessage());
            t.close();
            return t;
        }
    }

    private static KernelTrace unavailable(Journal journal, String why) {
        return new KernelTrace(journal, null, "the kernel's decisions were not recorded (" + why + "); the diagnosis "
                + "rests on the facts and frames alone", List.of());
    }

    /** Where tracefs is mounted, preferring its usual place; mounted on a directory of ours when it is nowhere. */
    private static Path tracefs(Journal journal) {
        String given = System.getenv("MVD_TRACEFS");
        if (given != null && !given.isEmpty()) {
            // Where tracefs is mounted when /proc/self/mountinfo does not say (a container with its own /sys).
            return Path.of(given);
        }
        // Another run's private mount is not ours to use: it goes when that run ends, whatever we made under it.
        List<String> mounts = Tracefs.mountPoints().stream().filter(m -> !m.startsWith(Journal.DEFAULT_ROOT + "/"))
                .toList();
        for (String usual : List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing")) {
            if (mounts.contains(usual)) {
                return Path.of(usual);
            }
        }
        if (!mounts.isEmpty()) {
            return Path.of(mounts.get(0));
        }
        Path ours = Journal.DEFAULT_ROOT.resolve("tracefs-" + name(journal).substring("mvd-".length()));
        journal.apply(new TraceMount(ours.toString()));
        return ours;
    }

    /** "mvd-PID-RUN": the process that made it can be told from its name (a leftover of a dead one, too). */
    static String name(Journal journal) {
        return "mvd-" + ProcessHandle.current().pid() + "-" + journal.runId();
    }

    public boolean recording() {
        return instance != null;
    }

    /** Starts recording (the probes begin), and marks the moment on the trace's clock. */
    public void start() {
        // Not started: nothing is recorded, and read() finds an empty trace.
        tracingOn("1");
        if (instance == null || markedMonoNs == TraceClock.MONO) {
            return;
        }
        long before = System.nanoTime();
        try {
            write(instance.resolve("trace_marker"), TraceClock.MARKER);
            markedMonoNs = before + (System.nanoTime() - before) / 2;
        } catch (IOException e) {
            // No marker (markers turned off): the clock is set instead, which empties the buffer just begun.
            try {
                write(instance.resolve("trace_clock"), "mono");
                markedMonoNs = TraceClock.MONO;
            } catch (IOException again) {
                // The events keep their own clock: their order holds, their distance to the frames does not.
            }
        }
    }

    /** Stops recording and reads what the kernel recorded. */
    public Recording stop() {
        stopRecording();
        return read();
    }

    /** Stops recording; what was recorded stays in the instance until it is read or the instance removed. */
    public void stopRecording() {
        // Not stopped: read() reads what is there, a few events more.
        tracingOn("0");
    }

    private void tracingOn(String value) {
        if (instance != null) {
            try {
                write(instance.resolve("tracing_on"), value);
            } catch (IOException e) {
                // As the callers say.
            }
        }
    }

    /** What the kernel recorded, parsed. */
    public Recording read() {
        return take().parse();
    }

    /**
     * What the instance holds, taken out as the kernel printed it (1-2 ms for a probe window's events); the parse,
     * which costs more, waits until a diagnosis asks for it.
     */
    public Taken take() {
        if (instance == null) {
            return new Taken("", 0, TraceClock.MONO, Set.of(), 0, unavailable);
        }
        try {
            long offset = monoToWallNs();
            String text = Files.readString(instance.resolve("trace"), StandardCharsets.UTF_8);
            long lost = lost();
            String note = lost > 0 ? lost + " kernel events were lost to the trace buffer filling up (a busy host): "
                    + "the kernel's evidence is incomplete" : note();
            return new Taken(text, offset, markedMonoNs, Tids.all(), lost, note);
        } catch (IOException e) {
            return new Taken("", 0, TraceClock.MONO, Set.of(), 0, "the kernel's decisions could not be read ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * The text of a trace instance, with what its parse needs: the clocks' offset, when the clock marker was
     * written, our threads, the losses.
     */
    public record Taken(String text, long monoToWallNs, long markedMonoNs, Set<Integer> ownTids, long lost,
                        String note) {
        public Recording parse() {
            return new Recording(TraceLines.parse(text, monoToWallNs + TraceClock.toMono(text, markedMonoNs)),
                    ownTids, lost, note);
        }
    }

    /** What is known of the recording without reading it: that there is none, or that events are missing. */
    public String note() {
        if (instance == null) {
            return unavailable;
        }
        return skipped.isEmpty() ? null : "this kernel has no " + String.join(", ", skipped)
                + " event: those decisions were not recorded";
    }

    /** Wall-clock minus monotonic time, the two read side by side. */
    private static long monoToWallNs() {
        long before = System.nanoTime();
        Instant wall = Instant.now();
        long after = System.nanoTime();
        return wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + (after - before) / 2);
    }

    private long lost() {
        long n = 0;
        try (DirectoryStream<Path> cpus = Files.newDirectoryStream(instance.resolve("per_cpu"), "cpu*")) {
            for (Path cpu : cpus) {
                Matcher m = STAT.matcher(Files.readString(cpu.resolve("stats")));
                while (m.find()) {
                    n += Long.parseLong(m.group(2));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not readable: nothing known to be lost.
        }
        return n;
    }

    /**
     * Trace instances of runs that ended without removing them and whose journal is gone too (named mvd-PID-RUN,
     * PID no longer running): removed, one line each (teardown --recover). Another tool's instances are not ours
     * and are never looked at.
     */
    public static List<String> sweep() {
        List<String> out = new ArrayList<>();
        for (String m : Tracefs.mountPoints()) {
            Path instances = Path.of(m, "instances");
            if (!Files.isDirectory(instances)) {
                continue;
            }
            try (DirectoryStream<Path> d = Files.newDirectoryStream(instances, "mvd-*")) {
                for (Path p : d) {
                    String[] f = p.getFileName().toString().split("-");
                    if (f.length == 3 && f[1].matches("[0-9]+") && !Files.exists(Path.of("/proc", f[1]))
                            && ConfigFiles.rmdirIfEmpty(p)) {
                        out.add("undone: removed the trace instance " + p + " of a run (pid " + f[1] + ") that ended");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not readable: nothing to sweep there.
            }
            // One superblock behind every mount: the first readable one has them all.
            break;
        }
        return out;
    }

    /** Removes the instance (and a tracefs we mounted) through the journal. */
    @Override
    public void close() {
        if (journal == null) {
            return;
        }
        journal.undo(e -> e.run().equals(journal.runId()) && isOurs(e.change()));
    }

    private static boolean isOurs(Change c) {
        return c instanceof TraceInstance || c instanceof TraceMount;
    }

    private static void write(Path p, String value) throws IOException {
        Files.writeString(p, value);
    }
}
