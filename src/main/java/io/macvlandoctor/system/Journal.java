package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The change journal of one host namespace: every change is written down with its undo before it is made, so
 * that a failed, interrupted or finished run can be undone, and `teardown` removes only what we created.
 * It lives under /run/macvlan-doctor/netns-INODE/ (0700 directory, 0600 files) and holds a lock while open,
 * so two runs never interleave changes on one namespace.
 */
public final class Journal implements AutoCloseable {
    public static final Path DEFAULT_ROOT = Path.of("/run/macvlan-doctor");
    /** How long a second run waits for the first to finish before it refuses (MVD_LOCK_WAIT_MS overrides). */
    private static final long LOCK_WAIT_MS = lockWait();

    private static long lockWait() {
        try {
            String v = System.getenv("MVD_LOCK_WAIT_MS");
            return v == null ? 10_000 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 10_000;
        }
    }

    public enum State { INTENT, APPLIED, FAILED, UNDONE, LEFT_ALONE }

    /**
     * One journaled change. linkIndex is the ifindex of the link it created, recorded once it exists; runEnded
     * says whether the run that made it ended normally (a kept setup) or was killed before it could undo.
     */
    public record Entry(String run, long pid, Change change, State state, int linkIndex, boolean runEnded) {
        Entry with(State s, int index) {
            return new Entry(run, pid, change, s, index, runEnded);
        }

        Entry ended() {
            return new Entry(run, pid, change, state, linkIndex, true);
        }

        public boolean needsUndo() {
            return (state == State.INTENT || state == State.APPLIED) && !change.undo().isEmpty();
        }
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Function<Netns, Ip> ipFor;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<Entry> entries;
    /** Undoes this run's changes if the JVM is stopped (SIGINT, SIGTERM) before the run closes the journal. */
    private Thread interruptHook;
    private boolean closed;

    private Journal(Path dir, FileChannel lockChannel, FileLock lock, Function<Netns, Ip> ipFor) {
        this.file = dir.resolve("journal.json");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.ipFor = ipFor;
        this.entries = load(file);
    }

    /**
     * Opens (and locks) the journal of a host namespace at its standard place, and says so on warn when killed runs
     * left changes behind.
     */
    public static Journal forHost(Netns hostNs, ProcessRunner runner, Consumer<String> warn) {
        Journal j = open(DEFAULT_ROOT, Namespaces.inode(hostNs), ns -> new Ip(ns, runner));
        List<Entry> left = j.interrupted();
        if (!left.isEmpty() && warn != null) {
            warn.accept("macvlan-doctor: warning: a run (pid " + left.get(0).pid() + ") was killed before it undid "
                    + left.size() + " change" + (left.size() == 1 ? "" : "s") + " in " + hostNs.label()
                    + "; undo them with: macvlan-doctor teardown --recover");
        }
        return j;
    }

    /** Opens (and locks) the journal of the namespace whose inode is nsInode. */
    public static Journal open(Path root, long nsInode, Function<Netns, Ip> ipFor) {
        Path dir = root.resolve("netns-" + nsInode);
        try {
            createPrivateDir(root);
            createPrivateDir(dir);
            Path lockFile = dir.resolve("lock");
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
            long deadline = System.nanoTime() + LOCK_WAIT_MS * 1_000_000;
            FileLock l;
            while ((l = tryLock(ch)) == null) {
                if (System.nanoTime() > deadline) {
                    ch.close();
                    throw new EnvironmentException("another macvlan-doctor run is changing this namespace (lock "
                            + lockFile + "); try again when it has finished");
                }
                Thread.sleep(50);
            }
            return new Journal(dir, ch, l, ipFor);
        } catch (IOException e) {
            throw new EnvironmentException("cannot use the journal under " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while waiting for the journal lock", e);
        }
    }

    /** Another process holding the lock gives null; so does another journal of this JVM. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    public String runId() {
        return runId;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Entries left by runs that were killed (kill -9, a power cut) before they could undo their changes. While we
     * hold the lock no other run is alive, so a run that did not end is a dead one.
     */
    public List<Entry> interrupted() {
        return entries.stream().filter(e -> !e.run().equals(runId) && !e.runEnded() && e.needsUndo()).toList();
    }

    /** Undoes what killed runs left (teardown --recover), newest first. */
    public List<String> undoInterrupted() {
        return undo(e -> !e.run().equals(runId) && !e.runEnded());
    }

    /** Entries left by other runs that still need undoing (a kept setup, or a run that was killed). */
    public List<Entry> pendingFromOtherRuns() {
        return entries.stream().filter(e -> !e.run().equals(runId) && e.needsUndo()).toList();
    }

    /** Writes the change down, makes it, and records that it was made; a refused change is recorded as failed. */
    public void apply(Change c) {
        if (c.undo().isEmpty()) {
            // Nothing to undo (a neighbour flush): no write-ahead needed, and several runs at once (many containers)
            // need not wait for each other's `ip` process.
            ipFor.apply(c.ns()).change(c.apply());
            synchronized (this) {
                entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.APPLIED, 0, false));
            }
            return;
        }
        applyWithUndo(c);
    }

    private synchronized void applyWithUndo(Change c) {
        armInterruptHook();
        entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.INTENT, 0, false));
        int i = entries.size() - 1;
        save();
        Ip ip = ipFor.apply(c.ns());
        try {
            ip.change(c.apply());
        } catch (RuntimeException e) {
            entries.set(i, entries.get(i).with(State.FAILED, 0));
            save();
            throw e;
        }
        int index = c.createsLink() == null ? 0 : ip.link(c.createsLink()).map(Link::index).orElse(0);
        entries.set(i, entries.get(i).with(State.APPLIED, index));
        save();
    }

    /** Makes the changes in order; if one fails, undoes those this run made and rethrows. */
    public void applyAll(List<Change> changes, Consumer<Change> before) {
        try {
            for (Change c : changes) {
                before.accept(c);
                apply(c);
            }
        } catch (RuntimeException e) {
            try {
                undoOwnRun();
            } catch (RuntimeException undoFailure) {
                e.addSuppressed(undoFailure);
            }
            throw e;
        }
    }

    /** Undoes this run's changes, newest first. */
    public List<String> undoOwnRun() {
        return undo(e -> e.run().equals(runId));
    }

    /** Undoes every change in the journal, newest first (teardown). */
    public List<String> undoAll() {
        return undo(e -> true);
    }

    /**
     * Undoes the selected entries in reverse order and returns one line per entry saying what happened. A link is
     * deleted only if it is still the very link we created (same ifindex); anything else is left alone.
     */
    public synchronized List<String> undo(Predicate<Entry> which) {
        List<String> report = new ArrayList<>();
        RuntimeException first = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (!which.test(e) || !e.needsUndo()) {
                continue;
            }
            Change c = e.change();
            Ip ip = ipFor.apply(c.ns());
            try {
                if (c.createsLink() != null) {
                    Optional<Link> now = ip.link(c.createsLink());
                    if (now.isEmpty()) {
                        entries.set(i, e.with(State.UNDONE, e.linkIndex()));
                        report.add("already gone: " + c.createsLink());
                        continue;
                    }
                    if (e.linkIndex() != 0 && now.get().index() != e.linkIndex()) {
                        entries.set(i, e.with(State.LEFT_ALONE, e.linkIndex()));
                        report.add("left alone: " + c.createsLink() + " is not the link we created (ifindex "
                                + now.get().index() + ", ours was " + e.linkIndex() + ")");
                        continue;
                    }
                }
                String addrDev = addressDevice(c);
                List<Route> routesBefore = addrDev == null ? List.of() : routesVia(ip, addrDev);
                ProcessRunner.Result r = ip.tryRun(c.undo());
                if (r.ok()) {
                    report.add("undone: " + c.summary() + " (" + c.undoCommand() + ")");
                    report.addAll(restoreRoutes(ip, addrDev, routesBefore));
                } else if (looksAlreadyGone(r.stderr())) {
                    report.add("already gone: " + c.summary());
                } else {
                    throw new EnvironmentException("could not undo '" + c.summary() + "': " + c.undoCommand()
                            + " failed: " + r.firstErrorLine());
                }
                entries.set(i, e.with(State.UNDONE, e.linkIndex()));
            } catch (RuntimeException ex) {
                // Keep undoing the rest; the entry stays pending so that teardown can try again.
                if (first == null) {
                    first = ex;
                }
            }
        }
        save();
        if (first != null) {
            throw first;
        }
        return report;
    }

    /** The device of an "addr add ... dev X" change, else null. */
    private static String addressDevice(Change c) {
        List<String> a = c.apply();
        return a.size() >= 5 && a.get(0).equals("addr") && a.get(1).equals("add") ? a.get(a.size() - 1) : null;
    }

    private static List<Route> routesVia(Ip ip, String dev) {
        return ip.routes().stream().filter(r -> r.dev().equals(dev)).toList();
    }

    /**
     * Removing the last IPv4 address of a device makes the kernel drop every route through it (fib_del_ifaddr
     * disables IP on the device). Routes that were there before the undo, and that we did not add, are put back.
     */
    private List<String> restoreRoutes(Ip ip, String dev, List<Route> before) {
        if (dev == null) {
            return List.of();
        }
        List<Route> after = routesVia(ip, dev);
        List<String> report = new ArrayList<>();
        for (Route r : before) {
            // Routes with a source address came with an address; the kernel manages those itself.
            if (after.contains(r) || r.prefsrc() != null) {
                continue;
            }
            List<String> add = new ArrayList<>(List.of("route", "add", r.dst() == null ? "default"
                    : r.dst().prefix() == 32 ? r.dst().ip() : r.dst().toString()));
            if (r.gateway() != null) {
                add.addAll(List.of("via", r.gateway()));
            }
            add.addAll(List.of("dev", dev));
            ProcessRunner.Result res = ip.tryRun(add);
            report.add((res.ok() ? "restored the route " : "could not restore the route ") + r.describe()
                    + " (the kernel drops routes through a device when its last address goes)");
        }
        return report;
    }

    private static boolean looksAlreadyGone(String stderr) {
        return stderr.contains("No such process") || stderr.contains("Cannot find device")
                || stderr.contains("does not exist") || stderr.contains("Cannot assign requested address")
                || stderr.contains("No such device");
    }

    /**
     * On SIGINT or SIGTERM the JVM runs its shutdown hooks while the run's threads go on; this one undoes what the
     * run changed and ends the process with 130, as documented, whatever the signal.
     */
    private void armInterruptHook() {
        if (interruptHook != null) {
            return;
        }
        interruptHook = new Thread(() -> {
            synchronized (this) {
                if (!closed) {
                    try {
                        List<String> undone = undoOwnRun();
                        System.err.println("macvlan-doctor: interrupted; " + (undone.isEmpty() ? "nothing to undo"
                                : "undid this run's " + undone.size() + " change" + (undone.size() == 1 ? "" : "s")));
                    } catch (RuntimeException e) {
                        System.err.println("macvlan-doctor: interrupted; undoing failed (" + e.getMessage()
                                + "): run 'macvlan-doctor teardown' for this namespace");
                    }
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
            }
        }, "journal-interrupt");
        Runtime.getRuntime().addShutdownHook(interruptHook);
    }

    @Override
    public synchronized void close() {
        closed = true;
        boolean mine = false;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).run().equals(runId)) {
                entries.set(i, entries.get(i).ended());
                mine = true;
            }
        }
        if (mine) {
            try {
                save();
            } catch (RuntimeException e) {
                // The changes stay journaled as unfinished: teardown --recover still finds them.
            }
        }
        if (interruptHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(interruptHook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook sees closed and does nothing.
            }
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // The lock dies with the file descriptor anyway.
        }
    }

    private void save() {
        boolean anyPending = entries.stream().anyMatch(Entry::needsUndo);
        try {
            if (!anyPending) {
                // Nothing left to undo: no file, so the next run starts clean.
                Files.deleteIfExists(file);
                return;
            }
            List<Object> list = new ArrayList<>();
            for (Entry e : entries) {
                list.add(toJson(e));
            }
            Path tmp = file.resolveSibling("journal.json.tmp");
            Files.writeString(tmp, Json.pretty(Map.of("entries", list)), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot write the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> toJson(Entry e) {
        Change c = e.change();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", e.run());
        m.put("pid", e.pid());
        m.put("runEnded", e.runEnded());
        m.put("state", e.state().name());
        m.put("netnsKind", c.ns().kind().name());
        m.put("netns", c.ns().ref());
        m.put("summary", c.summary());
        m.put("apply", c.apply());
        m.put("undo", c.undo());
        if (c.createsLink() != null) {
            m.put("createsLink", c.createsLink());
            m.put("linkIndex", e.linkIndex());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Entry> load(Path file) {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(file));
            for (Object o : (List<Object>) root.get("entries")) {
                Map<String, Object> m = (Map<String, Object>) o;
                Netns ns = new Netns(Netns.Kind.valueOf((String) m.get("netnsKind")), (String) m.get("netns"));
                Change c = new Change(ns, (String) m.get("summary"), (List<String>) m.get("apply"),
                        (List<String>) m.get("undo"), (String) m.get("createsLink"));
                Number idx = (Number) m.getOrDefault("linkIndex", 0L);
                out.add(new Entry((String) m.get("run"), ((Number) m.get("pid")).longValue(), c,
                        State.valueOf((String) m.get("state")), idx.intValue(), Boolean.TRUE.equals(m.get("runEnded"))));
            }
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentException("the journal " + file + " is unreadable (" + e.getMessage()
                    + "); inspect it by hand before removing it", e);
        }
        return out;
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
