package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.Signals;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code inside a network namespace. setns(2) switches only the calling OS thread, so every call gets a
 * fresh platform thread that is never returned to a pool and dies afterwards. Sockets and pcap handles keep the
 * namespace they were created in: create them in {@link #call} and use them from anywhere.
 */
public final class Namespaces {
    private static final Path OWN = Path.of("/proc/self/ns/net");

    private Namespaces() {
    }

    /** Fails with a clear message when the namespace does not exist or is not a network namespace. */
    public static void requireExists(Netns ns) {
        if (ns.kind() == Netns.Kind.CURRENT) {
            return;
        }
        Path f = ns.file();
        if (!Files.exists(f)) {
            throw new EnvironmentException(ns.kind() == Netns.Kind.NAMED
                    ? "network namespace '" + ns.ref() + "' not found (ip netns list shows the named ones)"
                    : "network namespace file " + f + " not found");
        }
        if (!isNetns(f)) {
            throw new UsageException(f + " is not a network namespace");
        }
    }

    /**
     * The lab must never act on the namespace the tool runs in (a name under /run/netns can be bound to any
     * namespace, the machine's own included).
     */
    public static void requireNotCurrent(Netns ns, String what) {
        if (inode(ns) == inode(Netns.CURRENT)) {
            throw new EnvironmentException("refusing to use " + what + ": " + ns.label()
                    + " is the namespace macvlan-doctor runs in, not one the lab created");
        }
    }

    /** Whether process pid lives in the network namespace with this inode. */
    public static boolean holds(long inode, long pid) {
        try {
            Object ino = Files.getAttribute(Path.of("/proc", Long.toString(pid), "ns", "net"), "unix:ino");
            return ino instanceof Number n && n.longValue() == inode;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The namespace's identity, "DEV:INODE" of its nsfs file: the same for every name and path of one namespace,
     * and never that of another namespace while this one lives (a /proc/PID path can be reused by a new process).
     */
    public static String identity(Netns ns) {
        requireExists(ns);
        try {
            Object dev = Files.getAttribute(ns.file(), "unix:dev");
            Object ino = Files.getAttribute(ns.file(), "unix:ino");
            return dev + ":" + ino;
        } catch (IOException | UnsupportedOperationException e) {
            throw new EnvironmentException("cannot read " + ns.file() + ": " + e.getMessage(), e);
        }
    }

    /** The identity of ns, or null when it does not exist (any more). */
    public static String identityOrNull(Netns ns) {
        try {
            return Files.exists(ns.file()) ? identity(ns) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A way into the namespace with this identity: the given one when it still is it, else a name under /run/netns
     * or a process's /proc/PID/ns/net that holds it; null when the namespace is gone.
     */
    public static Netns find(Netns likely, String id) {
        if (id.equals(identityOrNull(likely))) {
            return likely;
        }
        java.util.List<Path> candidates = new java.util.ArrayList<>();
        try (var s = Files.list(Path.of("/run/netns"))) {
            s.forEach(candidates::add);
        } catch (IOException e) {
            // No named namespaces.
        }
        try (var s = Files.list(Path.of("/proc"))) {
            s.filter(p -> p.getFileName().toString().matches("[0-9]+")).forEach(p -> candidates.add(p.resolve("ns/net")));
        } catch (IOException e) {
            // No /proc: nothing else to search.
        }
        for (Path p : candidates) {
            Netns n = Netns.path(p.toString());
            if (id.equals(identityOrNull(n))) {
                return n;
            }
        }
        return null;
    }

    /** The namespace's inode: the same number for every name and path of one namespace. */
    public static long inode(Netns ns) {
        requireExists(ns);
        try {
            return ((Number) Files.getAttribute(ns.file(), "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new EnvironmentException("cannot read " + ns.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A namespace file: one on the device of the namespace files (nsfs), as our own is. Compared by device rather
     * than by the file system's type, which the JDK finds by reading every mount of the machine (hundreds where
     * there are many namespaces), and this runs before every switch into one.
     */
    public static boolean isNetns(Path f) {
        try {
            if (Files.isSymbolicLink(f)) {
                String target = Files.readSymbolicLink(f).toString();
                if (target.startsWith("net:[")) {
                    return true;
                }
            }
            return Files.getAttribute(f, "unix:dev").equals(Files.getAttribute(OWN, "unix:dev"))
                    && !Files.isDirectory(f);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Runs work with the calling thread's network namespace set to ns. */
    public static <T> T call(Netns ns, Callable<T> work) {
        if (ns.kind() == Netns.Kind.CURRENT) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        requireExists(ns);
        FutureTask<T> task = new FutureTask<>(() -> inNamespace(ns, work));
        Thread t = new Thread(task, "netns:" + ns.ref());
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            throw Signals.interrupted(e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    private static <T> T inNamespace(Netns ns, Callable<T> work) throws Exception {
        int own;
        int target;
        try {
            own = LibC.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new EnvironmentException("cannot open this thread's network namespace: " + e.getMessage(), e);
        }
        try {
            try {
                target = LibC.open(ns.file().toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
            } catch (LastErrorException e) {
                throw new EnvironmentException("cannot open " + ns.file() + ": " + strerror(e), e);
            }
            try {
                LibC.setns(target, LibC.CLONE_NEWNET);
            } catch (LastErrorException e) {
                throw new EnvironmentException("cannot enter " + ns.label() + ": " + strerror(e)
                        + (e.getErrorCode() == 1 ? " (needs root / CAP_SYS_ADMIN)" : ""), e);
            } finally {
                LibC.close(target);
            }
            try {
                return work.call();
            } finally {
                // The thread ends after this call; switching back keeps it harmless should anyone reuse it.
                LibC.setns(own, LibC.CLONE_NEWNET);
            }
        } finally {
            LibC.close(own);
        }
    }

    static String strerror(LastErrorException e) {
        return switch (e.getErrorCode()) {
            case 1 -> "operation not permitted";
            case 2 -> "no such file or directory";
            case 13 -> "permission denied";
            case 22 -> "invalid argument";
            default -> "errno " + e.getErrorCode();
        };
    }
}
