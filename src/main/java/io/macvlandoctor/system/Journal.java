package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.Signals;
import io.macvlandoctor.Trace;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.json.JsonFields;
import io.macvlandoctor.json.RecordCodec;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.DirCreate;
import io.macvlandoctor.model.change.FileWrite;
import io.macvlandoctor.model.change.Host;
import io.macvlandoctor.model.change.Legacy;
import io.macvlandoctor.model.change.NeighbourFlush;
import io.macvlandoctor.model.change.SymlinkCreate;
import io.macvlandoctor.model.change.SysctlSet;
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
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The change journal of one host namespace: every change is written down before it is made, so that a failed,
 * interrupted or finished run can be undone, and `teardown` removes only what we created. It lives under
 * /run/macvlan-doctor/netns-INODE/ (0700 directory, 0600 files) and holds a lock while open, so two runs never
 * interleave changes on one namespace.
 *
 * <p>Each change knows how it is made, undone and found in place (model.change): the journal writes it down, makes
 * it, records it as made (with what only making it told: a link's ifindex and MAC, a rule's handle) and undoes it
 * newest first. An entry holds its namespace by identity (device and inode of the namespace file), checked before
 * every undo: a /proc/PID path may name another namespace by then. An entry a killed run left written down but not
 * recorded as made is looked for in the kernel: undone when found exactly as it would have been made, marked not
 * made when plainly absent, and reported when neither can be told.
 */
public final class Journal implements AutoCloseable {
    public static final Path DEFAULT_ROOT = Path.of("/run/macvlan-doctor");
    /** The file format: 2 writes each change as its record; files of 0.2.0 (no version) are read too. */
    static final int VERSION = 2;
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
     * One journaled change. nsId is the identity of its namespace when it was made; runEnded says whether the run
     * that made it ended normally (a kept setup) or was killed before it could undo.
     */
    public record Entry(String run, long pid, Change change, State state, String nsId, boolean runEnded) {
        Entry with(State s) {
            return new Entry(run, pid, change, s, nsId, runEnded);
        }

        Entry applied(Change made) {
            return new Entry(run, pid, made, State.APPLIED, nsId, runEnded);
        }

        Entry ended() {
            return new Entry(run, pid, change, state, nsId, true);
        }

        public boolean needsUndo() {
            return (state == State.INTENT || state == State.APPLIED) && change.undoable();
        }
    }

    /** What the journal does to the system, and how it finds a namespace again by its identity. */
    public interface Effects extends Host {
        /** The namespace's identity, null when it does not exist. */
        String identity(Netns ns);

        /** A way into the namespace with this identity, null when it is gone. */
        Netns find(Netns likely, String identity);
    }

    /** The effects on the real system. */
    public static Effects system(ProcessRunner runner) {
        return new SystemEffects(runner);
    }

    private static final class SystemEffects extends SystemHost implements Effects {
        SystemEffects(ProcessRunner runner) {
            super(runner);
        }

        @Override
        public String identity(Netns ns) {
            return Namespaces.identityOrNull(ns);
        }

        @Override
        public Netns find(Netns likely, String identity) {
            return Namespaces.find(likely, identity);
        }
    }

    /** How changes are written: each record by its components, addresses as text. */
    static final RecordCodec CODEC = new RecordCodec().text(IpAddress.class, IpAddress::parse)
            .text(Cidr.class, Cidr::parse);

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Effects fx;
    /**
     * Tells this run's entries from other runs' (of other processes): 32 random bits are plenty. Not a UUID, whose
     * SecureRandom costs every run 5-8 ms of seeding and provider lookup before its first change.
     */
    private final String runId = java.util.HexFormat.of().toHexDigits(
            java.util.concurrent.ThreadLocalRandom.current().nextInt());
    private final List<Entry> entries;
    /** Undoes this run's changes if the JVM is stopped before the run closes the journal. */
    private Runnable interruptHook;
    private boolean closed;

    private Journal(Path dir, FileChannel lockChannel, FileLock lock, Effects fx) {
        this.file = dir.resolve("journal.json");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.fx = fx;
        this.entries = load(file);
    }

    /**
     * Opens (and locks) the journal of a host namespace at its standard place, and says so on warn when killed runs
     * left changes behind.
     */
    public static Journal forHost(Netns hostNs, ProcessRunner runner, Consumer<String> warn) {
        Journal j = open(DEFAULT_ROOT, Namespaces.inode(hostNs), system(runner));
        List<Entry> left = j.interrupted();
        if (!left.isEmpty() && warn != null) {
            warn.accept("macvlan-doctor: warning: a run (pid " + left.get(0).pid() + ") was killed before it undid "
                    + left.size() + " change" + (left.size() == 1 ? "" : "s") + " in " + hostNs.label()
                    + "; undo them with: macvlan-doctor teardown --recover");
        }
        return j;
    }

    /** Opens (and locks) the journal of the namespace whose inode is nsInode. */
    public static Journal open(Path root, long nsInode, Effects fx) {
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
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    ch.close();
                    throw Signals.interrupted(e);
                }
            }
            return new Journal(dir, ch, l, fx);
        } catch (IOException e) {
            throw new EnvironmentException("cannot use the journal under " + dir + ": " + e.getMessage(), e);
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

    /**
     * Undoes what killed runs left (teardown --recover), newest first. An entry still in the intent state (the run
     * died between writing it down and recording the result) is looked for in the kernel: found as only it could
     * have made it, it is undone; plainly absent, it was never made; when neither can be told, it is reported with
     * the command that would undo it, and left alone.
     */
    public List<String> undoInterrupted() {
        return undo(e -> !e.run().equals(runId) && !e.runEnded());
    }

    /** Entries left by other runs that still need undoing (a kept setup, or a run that was killed). */
    public List<Entry> pendingFromOtherRuns() {
        return entries.stream().filter(e -> !e.run().equals(runId) && e.needsUndo()).toList();
    }

    /**
     * Writes the change down, makes it, and records it as made; a refused change is recorded as failed. Returns the
     * change as made.
     */
    public Change apply(Change c) {
        if (!c.undoable()) {
            // Nothing to undo (a neighbour flush): no write-ahead needed, and several runs at once (many containers)
            // need not wait for each other.
            Change made = c.apply(fx);
            synchronized (this) {
                entries.add(new Entry(runId, ProcessHandle.current().pid(), made, State.APPLIED, null, false));
            }
            return made;
        }
        // One change is made whole or not at all: an interrupt arriving meanwhile is noticed after it is recorded.
        Change made = Signals.uninterruptibly(() -> applyWithUndo(c));
        Trace.mark("change made");
        return made;
    }

    /** Neighbour flushes, all those of a namespace at once. */
    public void applyFlushes(List<NeighbourFlush> changes) {
        Map<Netns, List<IpAddress>> byNs = new LinkedHashMap<>();
        for (NeighbourFlush c : changes) {
            byNs.computeIfAbsent(c.ns(), k -> new ArrayList<>()).add(c.ip());
        }
        byNs.forEach(fx::flushNeighbours);
        synchronized (this) {
            for (Change c : changes) {
                entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.APPLIED, null, false));
            }
        }
    }

    private synchronized Change applyWithUndo(Change c) {
        armInterruptHook();
        String nsId = fx.identity(c.ns());
        if (nsId == null) {
            throw new EnvironmentException(c.ns().label() + " does not exist");
        }
        entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.INTENT, nsId, false));
        int i = entries.size() - 1;
        save();
        Trace.mark("change written down");
        Change made;
        try {
            made = c.apply(fx);
        } catch (RuntimeException e) {
            entries.set(i, entries.get(i).with(State.FAILED));
            save();
            throw e;
        }
        Trace.mark("change made, not yet recorded");
        entries.set(i, entries.get(i).applied(made));
        save();
        return made;
    }

    /**
     * Makes the changes in order; if one fails, or a signal comes between two (most changes go over netlink,
     * which no interrupt stops), undoes those this run made and rethrows.
     */
    public void applyAll(List<? extends Change> changes, Consumer<Change> before) {
        try {
            for (Change c : changes) {
                if (Thread.currentThread().isInterrupted() || Signals.received() != null) {
                    throw Signals.interrupted(new InterruptedException("between two changes"));
                }
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
     * Undoes the selected entries in reverse order and returns one line per entry saying what happened. Runs with
     * the thread's interrupt cleared: the interrupt that ends a run must not stop the undoing of its changes.
     */
    public List<String> undo(Predicate<Entry> which) {
        return Signals.uninterruptibly(() -> undoEntries(which));
    }

    private synchronized List<String> undoEntries(Predicate<Entry> which) {
        List<String> report = new ArrayList<>();
        RuntimeException first = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (!which.test(e) || !e.needsUndo()) {
                continue;
            }
            Change c = e.change();
            try {
                Netns ns = e.nsId() == null ? c.ns() : fx.find(c.ns(), e.nsId());
                if (ns == null) {
                    entries.set(i, e.with(State.LEFT_ALONE));
                    report.add("left alone: " + c.summary() + " (" + c.ns().label() + " is gone, or is another "
                            + "namespace now)");
                    continue;
                }
                if (e.state() == State.INTENT) {
                    // Written down, never recorded as made: the kernel says whether it is there.
                    Change.Presence p = c.presence(fx, ns);
                    if (p == Change.Presence.NOT_MADE) {
                        entries.set(i, e.with(State.UNDONE));
                        report.add("never made: " + c.summary() + " (the run died before making it)");
                        continue;
                    }
                    if (p == Change.Presence.UNKNOWN) {
                        entries.set(i, e.with(State.LEFT_ALONE));
                        report.add("not undone: '" + c.summary() + "' was written down but the run (pid " + e.pid()
                                + ") died before it recorded whether it was made, and the kernel does not tell; "
                                + "check by hand, and undo it with: " + c.undoCommand());
                        continue;
                    }
                    c = c.asFound(fx, ns);
                }
                String done = c.undo(fx, ns);
                report.add(done);
                entries.set(i, e.with(State.UNDONE));
                if (done.startsWith("undone") && c.networking()) {
                    // For the last line, should the run end by a signal or a closed stdout.
                    Signals.noteUndone(1);
                }
                Trace.mark("change undone");
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

    /**
     * Should the JVM be stopped while the run still holds changes (a second signal, or a run that did not unwind in
     * time), this undoes what the run changed, before the signal's last line is printed (Signals).
     */
    private void armInterruptHook() {
        if (interruptHook != null) {
            return;
        }
        interruptHook = () -> {
            synchronized (this) {
                if (!closed) {
                    try {
                        undoOwnRun();
                    } catch (RuntimeException e) {
                        Signals.noteCleanup("undoing failed (" + e.getMessage() + "): run 'macvlan-doctor "
                                + "teardown' for this namespace");
                    }
                }
            }
        };
        Signals.atExit(interruptHook);
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
            Signals.notAtExit(interruptHook);
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
                if (e.change().undoable()) {
                    list.add(toJson(e));
                }
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("journalVersion", VERSION);
            root.put("entries", list);
            Path tmp = file.resolveSibling("journal.json.tmp");
            Files.writeString(tmp, Json.pretty(root), StandardCharsets.UTF_8);
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", e.run());
        m.put("pid", e.pid());
        m.put("runEnded", e.runEnded());
        m.put("state", e.state().name());
        m.put("netnsId", e.nsId());
        m.put("summary", e.change().summary());
        m.put("change", CODEC.write(e.change()));
        return m;
    }

    static List<Entry> load(Path file) {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            Map<String, Object> root = JsonFields.obj(Json.parse(Files.readString(file)), "journal");
            long version = JsonFields.num(root, "journalVersion", 1);
            if (version > VERSION) {
                throw new IllegalArgumentException("it was written by a newer macvlan-doctor (journal version "
                        + version + ")");
            }
            for (Object o : JsonFields.list(root, "entries")) {
                Map<String, Object> m = JsonFields.obj(o, "entry");
                Change c = m.containsKey("change") ? CODEC.read(m.get("change"), Change.class, "change")
                        : fromVersion1(m);
                out.add(new Entry(JsonFields.str(m, "run"), JsonFields.num(m, "pid", 0), c,
                        State.valueOf(JsonFields.str(m, "state")), JsonFields.str(m, "netnsId"),
                        JsonFields.bool(m, "runEnded")));
            }
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentException("the journal " + file + " is unreadable (" + e.getMessage()
                    + "); inspect it by hand before removing it", e);
        }
        return out;
    }

    /**
     * An entry of a 0.2.0 journal: a kind and the argv that make and undo it. Sysctls and files become the changes
     * they are; `ip` commands and other programs are undone with the argv they recorded, as 0.2.0 undid them.
     */
    static Change fromVersion1(Map<String, Object> m) {
        Netns ns = new Netns(Netns.Kind.valueOf(JsonFields.str(m, "netnsKind")), JsonFields.str(m, "netns"));
        String kind = JsonFields.str(m, "kind");
        List<String> apply = strings(m, "apply");
        List<String> undo = strings(m, "undo");
        String summary = JsonFields.str(m, "summary");
        switch (kind == null ? "IP" : kind) {
            case "SYSCTL":
                return new SysctlSet(ns, apply.get(0), Integer.parseInt(apply.get(1)), Integer.parseInt(undo.get(1)));
            case "FILE":
                return new FileWrite(apply.get(0), apply.get(1), Integer.parseInt(apply.get(2), 8),
                        undo.size() == 3 ? undo.get(1) : null, undo.size() == 3 ? Integer.parseInt(undo.get(2), 8) : 0);
            case "DIR":
                return new DirCreate(apply.get(0));
            case "SYMLINK":
                return new SymlinkCreate(apply.get(0), apply.get(1));
            case "FLUSH":
                return new NeighbourFlush(ns, IpAddress.parse(apply.get(3)));
            case "EXEC":
                return new Legacy(ns, summary, undo.isEmpty() ? "" : undo.get(0), undo, null, 0, null);
            default:
                return new Legacy(ns, summary, "ip", undo, JsonFields.str(m, "createsLink"),
                        (int) JsonFields.num(m, "linkIndex", 0), JsonFields.str(m, "linkMac"));
        }
    }

    private static List<String> strings(Map<String, Object> m, String key) {
        List<String> l = new ArrayList<>();
        for (Object o : JsonFields.list(m, key)) {
            l.add(JsonFields.str(o, key));
        }
        return l;
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
