package io.macvlandoctor.system;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.ToolException;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM end a run the same careful way: the signal is noted, the main thread is interrupted so that
 * the run unwinds through its own finally blocks (undoing its changes, removing a throwaway lab), and the process
 * exits with 130 (SIGINT) or 143 (SIGTERM) and one line naming the signal and what was undone. Should the run not
 * unwind within a few seconds, the process exits anyway and the journal's shutdown hook undoes what is left.
 */
public final class Signals {
    private static final long GRACE_MS = 5_000;
    private static volatile String received;
    private static final AtomicInteger UNDONE = new AtomicInteger();
    private static final Object LOCK = new Object();
    private static Thread main;
    /** How deep the main thread is in uninterruptible work, and whether a signal waits for it to come out. */
    private static int shielded;
    private static boolean pending;

    private Signals() {
    }

    /** Catches SIGINT and SIGTERM for the run on the main thread. */
    public static void install(Thread mainThread) {
        synchronized (LOCK) {
            main = mainThread;
        }
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (received != null) {
                        // A second signal: no more waiting.
                        Runtime.getRuntime().exit(exitCode());
                        return;
                    }
                    received = "SIG" + s.getName();
                    interruptMain();
                    Thread watchdog = new Thread(() -> {
                        try {
                            Thread.sleep(GRACE_MS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        Runtime.getRuntime().exit(exitCode());
                    }, "signal-watchdog");
                    watchdog.setDaemon(true);
                    watchdog.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // The JVM runs with -Xrs or the signal is reserved: the default handling stays.
            }
        }
    }

    /** "SIGINT", "SIGTERM", or null while no signal came. */
    public static String received() {
        return received;
    }

    /** 143 after SIGTERM, 130 after SIGINT or an interrupt of another kind. */
    public static int exitCode() {
        return "SIGTERM".equals(received) ? ExitCodes.TERMINATED : ExitCodes.INTERRUPTED;
    }

    /** The journal counts what it undid after a signal, for the last line. */
    public static void noteUndone(int changes) {
        UNDONE.addAndGet(changes);
    }

    /** "interrupted by SIGTERM; undid this run's 3 changes" */
    public static String message() {
        int n = UNDONE.get();
        return "interrupted" + (received == null ? "" : " by " + received) + "; " + (n == 0 ? "nothing to undo"
                : "undid this run's " + n + " change" + (n == 1 ? "" : "s"));
    }

    /** The failure an interrupted wait turns into: exit 130 or 143, never an environment error. */
    public static ToolException interrupted(InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new Interrupted(cause);
    }

    /** Interrupts the main thread now, or as soon as it leaves the uninterruptible work it is in. */
    private static void interruptMain() {
        synchronized (LOCK) {
            if (main == null) {
                return;
            }
            if (shielded > 0) {
                pending = true;
            } else {
                main.interrupt();
            }
        }
    }

    /**
     * Runs work that must be done whole (making one journaled change and recording it, undoing changes, removing a
     * lab) with the thread's interrupt cleared, so that the interrupt that ends a run stops neither a change halfway
     * nor the work that undoes it. A signal that arrives meanwhile interrupts the thread when the work is done; an
     * interrupt that was set before is set again.
     */
    public static <T> T uninterruptibly(java.util.function.Supplier<T> work) {
        boolean onMain;
        synchronized (LOCK) {
            onMain = Thread.currentThread() == main;
            if (onMain) {
                shielded++;
            }
        }
        boolean was = Thread.interrupted();
        try {
            return work.get();
        } finally {
            synchronized (LOCK) {
                if (onMain && --shielded == 0 && pending) {
                    pending = false;
                    was = true;
                }
            }
            if (was) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A run that was interrupted (by a signal, or Ctrl-C in the shell). */
    public static final class Interrupted extends ToolException {
        private static final long serialVersionUID = 1L;

        Interrupted(Throwable cause) {
            super(Signals.exitCode(), "interrupted", cause);
        }

        @Override
        public int exitCode() {
            return Signals.exitCode();
        }

        @Override
        public String getMessage() {
            return message();
        }
    }
}
