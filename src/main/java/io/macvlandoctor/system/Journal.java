package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.json.JsonFields;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.IpAddress;
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
import java.util.function.Predicate;

/**
 * The change journal of one host namespace: every change is written down with its undo before it is made, so
 * that a failed, interrupted or finished run can be undone, and `teardown` removes only what we created.
 * It lives under /run/macvlan-doctor/netns-INODE/ (0700 directory, 0600 files) and holds a lock while open,
 * so two runs never interleave changes on one namespace.
 *
 * <p>An entry holds its namespace by identity (device and inode of the namespace file), checked before every undo:
 * a /proc/PID path may name another namespace by then. A link is removed only if its ifindex and MAC are still the
 * ones recorded after it was created; a route only as it was added (protocol and metric included); a sysctl is set
 * back to the value it had. An entry a killed run left between intent and result is reported, not guessed at.
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
     * One journaled change. nsId is the identity of its namespace when it was made; linkIndex and linkMac identify
     * the link it created (recorded once it exists); runEnded says whether the run that made it ended normally (a
     * kept setup) or was killed before it could undo.
     */
    public record Entry(String run, long pid, Change change, State state, String nsId, int linkIndex, String linkMac,
                        boolean runEnded) {
        Entry with(State s) {
            return new Entry(run, pid, change, s, nsId, linkIndex, linkMac, runEnded);
        }

        Entry applied(Change c, int index, String mac) {
            return new Entry(run, pid, c, State.APPLIED, nsId, index, mac, runEnded);
        }

        Entry ended() {
            return new Entry(run, pid, change, state, nsId, linkIndex, linkMac, true);
        }

        public boolean needsUndo() {
            return (state == State.INTENT || state == State.APPLIED) && !change.undo().isEmpty();
        }
    }

    /** What the journal does to the system: `ip` in a namespace, sysctls in a namespace, other programs there. */
    public interface Effects {
        Ip ip(Netns ns);

        /** Runs a program in the namespace. */
        ProcessRunner.Result exec(Netns ns, List<String> argv);

        /** Writes a sysctl (full name) in the namespace. */
        void sysctl(Netns ns, String name, int value);

        /** The namespace's identity, null when it does not exist. */
        String identity(Netns ns);

        /** A way into the namespace with this identity, null when it is gone. */
        Netns find(Netns likely, String identity);

        /** Writes a file whole (a temporary file renamed into place), with its permissions. */
        default void writeFile(Path p, String text, int mode) {
            ConfigFiles.writeAtomically(p, text, mode);
        }

        /** A file's text, null when there is none. */
        default String readFile(Path p) {
            return ConfigFiles.readOrNull(p);
        }

        default int mode(Path p) {
            return ConfigFiles.mode(p);
        }

        default boolean delete(Path p) {
            return ConfigFiles.delete(p);
        }

        default void mkdir(Path p) {
            ConfigFiles.mkdir(p);
        }

        /** Removes a directory if it is empty; false when it is not (or is gone). */
        default boolean rmdirIfEmpty(Path p) {
            return ConfigFiles.rmdirIfEmpty(p);
        }

        default void symlink(Path p, String target) {
            ConfigFiles.symlink(p, target);
        }

        /** Where a symbolic link points, null when it is not one. */
        default String readLink(Path p) {
            return ConfigFiles.readLink(p);
        }
    }

    /** The effects on the real system. */
    public static Effects system(ProcessRunner runner) {
        return new Effects() {
            @Override
            public Ip ip(Netns ns) {
                return new Ip(ns, runner);
            }

            @Override
            public ProcessRunner.Result exec(Netns ns, List<String> argv) {
                List<String> a = new ArrayList<>(ns.execPrefix());
                a.addAll(argv);
                return runner.run(a);
            }

            @Override
            public void sysctl(Netns ns, String name, int value) {
                new Sysctls(ns).write(name, value);
            }

            @Override
            public String identity(Netns ns) {
                return Namespaces.identityOrNull(ns);
            }

            @Override
            public Netns find(Netns likely, String identity) {
                return Namespaces.find(likely, identity);
            }
        };
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Effects fx;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<Entry> entries;
    /** Undoes this run's changes if the JVM is stopped before the run closes the journal. */
    private Thread interruptHook;
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
     * died between writing it down and recording the result) is reported, not undone: whether the change was made
     * cannot be known, and undoing a change that was not made could remove something that is not ours.
     */
    public List<String> undoInterrupted() {
        List<String> report = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.run().equals(runId) && !e.runEnded() && e.state() == State.INTENT && !e.change().undo().isEmpty()) {
                report.add("not undone: '" + e.change().summary() + "' was written down but the run (pid " + e.pid()
                        + ") died before it recorded whether it was made; check by hand, and undo it with: "
                        + e.change().undoCommand());
            }
        }
        synchronized (this) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (!e.run().equals(runId) && !e.runEnded() && e.state() == State.INTENT) {
                    entries.set(i, e.with(State.LEFT_ALONE));
                }
            }
        }
        report.addAll(undo(e -> !e.run().equals(runId) && !e.runEnded()));
        return report;
    }

    /** Entries left by other runs that still need undoing (a kept setup, or a run that was killed). */
    public List<Entry> pendingFromOtherRuns() {
        return entries.stream().filter(e -> !e.run().equals(runId) && e.needsUndo()).toList();
    }

    /** Writes the change down, makes it, and records that it was made; a refused change is recorded as failed. */
    public void apply(Change c) {
        if (c.undo().isEmpty()) {
            // Nothing to undo (a neighbour flush): no write-ahead needed, and several runs at once (many containers)
            // need not wait for each other.
            if (c.kind() == Change.Kind.FLUSH) {
                fx.ip(c.ns()).flushNeighbours(List.of(c.flushed()));
            } else {
                fx.ip(c.ns()).change(c.apply());
            }
            synchronized (this) {
                entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.APPLIED, null, 0, null, false));
            }
            return;
        }
        // One change is made whole or not at all: an interrupt arriving meanwhile is noticed after it is recorded.
        Signals.uninterruptibly(() -> {
            applyWithUndo(c);
            return null;
        });
    }

    /** Neighbour flushes, all those of a namespace at once. */
    public void applyFlushes(List<Change> changes) {
        Map<Netns, List<IpAddress>> byNs = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.kind() != Change.Kind.FLUSH) {
                throw new IllegalArgumentException("not a neighbour flush: " + c.summary());
            }
            byNs.computeIfAbsent(c.ns(), k -> new ArrayList<>()).add(c.flushed());
        }
        byNs.forEach((ns, ips) -> fx.ip(ns).flushNeighbours(ips));
        synchronized (this) {
            for (Change c : changes) {
                entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.APPLIED, null, 0, null, false));
            }
        }
    }

    private synchronized void applyWithUndo(Change c) {
        armInterruptHook();
        String nsId = fx.identity(c.ns());
        if (nsId == null) {
            throw new EnvironmentException(c.ns().label() + " does not exist");
        }
        entries.add(new Entry(runId, ProcessHandle.current().pid(), c, State.INTENT, nsId, 0, null, false));
        int i = entries.size() - 1;
        save();
        Change made = c;
        try {
            if (c.kind() == Change.Kind.SYSCTL) {
                fx.sysctl(c.ns(), c.apply().get(0), Integer.parseInt(c.apply().get(1)));
            } else if (c.kind() == Change.Kind.FILE) {
                fx.writeFile(Path.of(c.apply().get(0)), c.apply().get(1), Integer.parseInt(c.apply().get(2), 8));
            } else if (c.kind() == Change.Kind.DIR) {
                fx.mkdir(Path.of(c.apply().get(0)));
            } else if (c.kind() == Change.Kind.SYMLINK) {
                fx.symlink(Path.of(c.apply().get(0)), c.apply().get(1));
            } else if (c.kind() == Change.Kind.EXEC) {
                ProcessRunner.Result r = fx.exec(c.ns(), c.apply());
                if (!r.ok()) {
                    throw new EnvironmentException(c.command() + " failed: " + r.firstErrorLine());
                }
                made = withHandle(c, r.stdout());
            } else {
                fx.ip(c.ns()).change(c.apply());
                made = exactRouteUndo(c);
            }
        } catch (RuntimeException e) {
            entries.set(i, entries.get(i).with(State.FAILED));
            save();
            throw e;
        }
        int index = 0;
        String mac = null;
        if (c.createsLink() != null) {
            Optional<Link> l = fx.ip(c.ns()).link(c.createsLink());
            index = l.map(Link::index).orElse(0);
            mac = l.map(Link::mac).orElse(null);
        }
        entries.set(i, entries.get(i).applied(made, index, mac));
        save();
    }

    /**
     * An nft rule is removed by its handle, which only the insert knows: `nft --echo --handle` prints it, and it
     * takes the place of the placeholder in the undo.
     */
    private static Change withHandle(Change c, String stdout) {
        if (!c.undo().contains(Change.HANDLE)) {
            return c;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("# handle ([0-9]+)").matcher(stdout);
        String handle = null;
        while (m.find()) {
            handle = m.group(1);
        }
        if (handle == null) {
            throw new EnvironmentException(c.command() + " did not say the new rule's handle: it cannot be undone; "
                    + "remove the rule by hand");
        }
        List<String> undo = new ArrayList<>(c.undo());
        undo.set(undo.indexOf(Change.HANDLE), handle);
        return new Change(c.ns(), c.summary(), c.kind(), c.apply(), undo, c.createsLink());
    }

    /**
     * A route we added is removed later only as it is now: the undo names its protocol and metric as the kernel
     * recorded them, so that a route someone else put in its place (another protocol or metric) is not ours to
     * remove.
     */
    private Change exactRouteUndo(Change c) {
        List<String> a = c.apply();
        int r = a.indexOf("route");
        if (r < 0 || a.size() < r + 3 || !a.get(r + 1).equals("add")) {
            return c;
        }
        String dst = a.get(r + 2);
        int devAt = a.indexOf("dev");
        if (devAt < 0 || devAt + 1 >= a.size()) {
            return c;
        }
        String dev = a.get(devAt + 1);
        List<String> fam = a.subList(0, r);
        List<Route> now = fx.ip(c.ns()).routes().stream().filter(x -> x.dst() != null && x.dev().equals(dev)
                && x.dst().destination().equals(io.macvlandoctor.model.Cidr.parse(dst).destination())).toList();
        if (now.size() != 1) {
            return c;
        }
        Route made = now.get(0);
        List<String> undo = new ArrayList<>(fam);
        undo.addAll(List.of("route", "del", dst, "dev", dev));
        if (made.protocol() != null) {
            undo.addAll(List.of("proto", made.protocol()));
        }
        if (made.metric() != null) {
            undo.addAll(List.of("metric", Integer.toString(made.metric())));
        }
        return new Change(c.ns(), c.summary(), c.kind(), c.apply(), undo, c.createsLink());
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
        List<String> l = undo(e -> e.run().equals(runId));
        if (Signals.received() != null) {
            Signals.noteUndone((int) l.stream().filter(x -> x.startsWith("undone")).count());
        }
        return l;
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
                Ip ip = fx.ip(ns);
                if (c.createsLink() != null) {
                    Optional<Link> now = ip.link(c.createsLink());
                    if (now.isEmpty()) {
                        entries.set(i, e.with(State.UNDONE));
                        report.add("already gone: " + c.createsLink());
                        continue;
                    }
                    boolean sameIndex = e.linkIndex() == 0 || now.get().index() == e.linkIndex();
                    boolean sameMac = e.linkMac() == null || e.linkMac().equals(now.get().mac());
                    if (e.state() == State.INTENT || !sameIndex || !sameMac) {
                        entries.set(i, e.with(State.LEFT_ALONE));
                        report.add("left alone: " + c.createsLink() + " is not the link we created (ifindex "
                                + now.get().index() + " " + now.get().mac() + ", ours was " + (e.linkIndex() == 0
                                        ? "never recorded" : e.linkIndex() + " " + e.linkMac()) + ")");
                        continue;
                    }
                }
                if (c.kind() == Change.Kind.SYSCTL) {
                    String name = c.undo().get(0);
                    try {
                        fx.sysctl(ns, name, Integer.parseInt(c.undo().get(1)));
                        report.add("undone: " + c.summary() + " (" + name + "=" + c.undo().get(1) + " again)");
                    } catch (EnvironmentException gone) {
                        report.add("already gone: " + c.summary());
                    }
                    entries.set(i, e.with(State.UNDONE));
                    continue;
                }
                if (c.kind() == Change.Kind.FILE || c.kind() == Change.Kind.DIR || c.kind() == Change.Kind.SYMLINK) {
                    report.add(undoFile(c));
                    entries.set(i, e.with(State.UNDONE));
                    continue;
                }
                if (c.kind() == Change.Kind.EXEC) {
                    ProcessRunner.Result r = fx.exec(ns, c.undo());
                    if (!r.ok()) {
                        throw new EnvironmentException("could not undo '" + c.summary() + "': " + c.undoCommand()
                                + " failed: " + r.firstErrorLine());
                    }
                    report.add("undone: " + c.summary() + " (" + c.undoCommand() + ")");
                    entries.set(i, e.with(State.UNDONE));
                    continue;
                }
                String addrDev = addressDevice(c);
                List<Route> routesBefore = addrDev == null ? List.of() : routesVia(ip, addrDev);
                Change inNs = new Change(ns, c.summary(), c.kind(), c.apply(), c.undo(), c.createsLink());
                ProcessRunner.Result r = ip.tryRun(c.undo());
                if (r.ok()) {
                    report.add("undone: " + c.summary() + " (" + inNs.undoCommand() + ")");
                    report.addAll(restoreRoutes(ip, addrDev, routesBefore));
                } else if (looksAlreadyGone(r.stderr())) {
                    report.add("already gone: " + c.summary());
                } else {
                    throw new EnvironmentException("could not undo '" + c.summary() + "': " + inNs.undoCommand()
                            + " failed: " + r.firstErrorLine());
                }
                entries.set(i, e.with(State.UNDONE));
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
     * Undoes a file of the boot-time configuration: removes it, or puts back the file it replaced; but a file that
     * was changed since the tool wrote it is someone else's now and stays.
     */
    private String undoFile(Change c) {
        Path p = Path.of(c.undo().get(0));
        switch (c.kind()) {
            case DIR:
                return fx.rmdirIfEmpty(p) ? "undone: " + c.summary() + " (rmdir " + p + ")"
                        : "left alone: " + p + " (not empty, or gone)";
            case SYMLINK:
                if (!c.apply().get(1).equals(fx.readLink(p))) {
                    return "left alone: " + p + " (it points elsewhere now, or is gone)";
                }
                fx.delete(p);
                return "undone: " + c.summary() + " (rm " + p + ")";
            default:
                String now = fx.readFile(p);
                if (now == null) {
                    return "already gone: " + p;
                }
                if (!now.equals(c.apply().get(1))) {
                    return "left alone: " + p + " was changed since macvlan-doctor wrote it; remove it by hand";
                }
                if (c.undo().size() == 3) {
                    fx.writeFile(p, c.undo().get(1), Integer.parseInt(c.undo().get(2), 8));
                    return "undone: " + c.summary() + " (the previous " + p + " is back)";
                }
                fx.delete(p);
                return "undone: " + c.summary() + " (rm " + p + ")";
        }
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
            if (after.contains(r) || r.prefsrc() != null || "kernel".equals(r.protocol())) {
                continue;
            }
            List<String> add = new ArrayList<>();
            if (r.family() == io.macvlandoctor.model.Family.V6) {
                add.add("-6");
            }
            add.addAll(List.of("route", "add", r.dst() == null ? "default" : r.dst().destination()));
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
                || stderr.contains("No such device") || stderr.contains("No such file");
    }

    /**
     * Should the JVM be stopped while the run still holds changes (a second signal, or a run that did not unwind in
     * time), this hook undoes what the run changed and ends the process with the signal's exit code.
     */
    private void armInterruptHook() {
        if (interruptHook != null) {
            return;
        }
        interruptHook = new Thread(() -> {
            synchronized (this) {
                if (!closed) {
                    try {
                        undoOwnRun();
                        System.err.println("macvlan-doctor: " + Signals.message());
                    } catch (RuntimeException e) {
                        System.err.println("macvlan-doctor: " + (Signals.received() == null ? "stopped"
                                : "interrupted by " + Signals.received()) + "; undoing failed (" + e.getMessage()
                                + "): run 'macvlan-doctor teardown' for this namespace");
                    }
                    Runtime.getRuntime().halt(Signals.exitCode());
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
                if (!e.change().undo().isEmpty()) {
                    list.add(toJson(e));
                }
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
        m.put("netnsId", e.nsId());
        m.put("kind", c.kind().name());
        m.put("summary", c.summary());
        m.put("apply", c.apply());
        m.put("undo", c.undo());
        if (c.createsLink() != null) {
            m.put("createsLink", c.createsLink());
            m.put("linkIndex", e.linkIndex());
            m.put("linkMac", e.linkMac());
        }
        return m;
    }

    private static List<Entry> load(Path file) {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            Map<String, Object> root = JsonFields.obj(Json.parse(Files.readString(file)), "journal");
            for (Object o : JsonFields.list(root, "entries")) {
                Map<String, Object> m = JsonFields.obj(o, "entry");
                Netns ns = new Netns(Netns.Kind.valueOf(JsonFields.str(m, "netnsKind")), JsonFields.str(m, "netns"));
                String kind = JsonFields.str(m, "kind");
                Change c = new Change(ns, JsonFields.str(m, "summary"),
                        kind == null ? Change.Kind.IP : Change.Kind.valueOf(kind), strings(m, "apply"),
                        strings(m, "undo"), JsonFields.str(m, "createsLink"));
                out.add(new Entry(JsonFields.str(m, "run"), JsonFields.num(m, "pid", 0), c,
                        State.valueOf(JsonFields.str(m, "state")), JsonFields.str(m, "netnsId"),
                        (int) JsonFields.num(m, "linkIndex", 0), JsonFields.str(m, "linkMac"),
                        JsonFields.bool(m, "runEnded")));
            }
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentException("the journal " + file + " is unreadable (" + e.getMessage()
                    + "); inspect it by hand before removing it", e);
        }
        return out;
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
