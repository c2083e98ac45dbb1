package io.macvlandoctor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT, SIGTERM and SIGHUP end a run the same careful way: the signal is noted, the main thread is interrupted so
 * that the run unwinds through its own finally blocks (undoing its changes, removing a throwaway lab), and the
 * process exits with 128 + the signal's number (130, 143, 129) and one line naming the signal and what was undone.
 * Should the run not unwind within a few seconds, the process exits anyway and the journal's shutdown hook undoes
 * what is left. The JVM ignores SIGPIPE: a closed stdout is found when the output is flushed (Main), and given
 * the exit code a shell gives a program that SIGPIPE ended, 141.
 */
public final class Signals {
    private static final long GRACE_MS = 5_000;
    private static final long SHIELD_GRACE_MS = 30_000;
    private static final java.util.Set<Runnable> AT_EXIT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.List<String> CLEANED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile String received;
    /** Whether the last line was given out to be printed: once, by whoever comes first. */
    private static final AtomicBoolean TOLD = new AtomicBoolean();
    private static final AtomicInteger UNDONE = new AtomicInteger();
    private static final Object LOCK = new Object();
    private static Thread main;
    /** How deep the main thread is in uninterruptible work, and whether a signal waits for it to come out. */
    private static int shielded;
    private static boolean pending;
    /** What else must happen for the main thread to notice (the shell's prompt does not wake on an interrupt). */
    private static volatile Runnable wake;

    private Signals() {
    }

    /** Catches SIGINT, SIGTERM and SIGHUP for the run on the main thread. */
    public static void install(Thread mainThread) {
        synchronized (LOCK) {
            main = mainThread;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Signals::lastWords, "signal-exit"));
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (received != null) {
                        // A second signal: no more waiting.
                        Runtime.getRuntime().exit(exitCode());
                        return;
                    }
                    received = "SIG" + s.getName();
                    interruptMain();
                    Runnable w = wake;
                    if (w != null) {
                        w.run();
                    }
                    Thread watchdog = new Thread(() -> {
                        try {
                            Thread.sleep(GRACE_MS);
                            // Work that must be done whole (an undo, a lab's removal) is let finish, within reason,
                            // and the run then given the time to unwind from it.
                            if (shielded()) {
                                for (long t = 0; t < SHIELD_GRACE_MS && shielded(); t += 50) {
                                    Thread.sleep(50);
                                }
                                Thread.sleep(GRACE_MS);
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        Runtime.getRuntime().exit(exitCode());
                    }, "signal-watchdog");
                    watchdog.setDaemon(true);
                    watchdog.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // The JVM runs with -Xrs or the signal is reserved (or, for SIGHUP, ignored as under nohup): the
                // default handling stays.
            }
        }
    }

    /** Also runs when a signal comes, after the main thread was interrupted; null for nothing more. */
    public static void onSignal(Runnable action) {
        wake = action;
    }

    /**
     * The terminal went away (its reads fail) whether or not SIGHUP reached the process: a hang-up all the same.
     */
    public static void hungUp() {
        if (received == null) {
            received = "SIGHUP";
        }
    }

    /**
     * stdout was closed by its reader: what the run writes from now on goes nowhere. Unless a signal came first,
     * the run ends as a program that SIGPIPE ended does, with 141.
     */
    public static void stdoutClosed() {
        if (received == null) {
            received = "SIGPIPE";
        }
    }

    /** "SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE", or null while no signal came. */
    public static String received() {
        return received;
    }

    /** 128 + the signal's number; 130 for an interrupt of another kind (Ctrl-C in the shell). */
    public static int exitCode() {
        if (received == null) {
            return ExitCodes.INTERRUPTED;
        }
        return switch (received) {
            case "SIGTERM" -> ExitCodes.TERMINATED;
            case "SIGHUP" -> ExitCodes.HUNG_UP;
            case "SIGPIPE" -> ExitCodes.STDOUT_CLOSED;
            default -> ExitCodes.INTERRUPTED;
        };
    }

    /**
     * Runs when the JVM is stopped with work still open (a second signal, a run that did not unwind in time):
     * what the open journals must undo, one after the other, then the last line, unless it was printed.
     */
    public static void atExit(Runnable undo) {
        AT_EXIT.add(undo);
    }

    public static void notAtExit(Runnable undo) {
        AT_EXIT.remove(undo);
    }

    private static void lastWords() {
        for (Runnable r : AT_EXIT) {
            r.run();
        }
        if (received != null) {
            // The run may still be on its way out and about to say it too: whoever claims the line prints it.
            sayLastLine();
        }
    }

    private static boolean shielded() {
        synchronized (LOCK) {
            return shielded > 0;
        }
    }

    /** What else a run cleaned up on its way out ("removed the half-built lab 'x'"), for the last line. */
    public static void noteCleanup(String what) {
        CLEANED.add(what);
    }

    /** The journal counts what it undid, for the last line after a signal or a closed stdout. */
    public static void noteUndone(int changes) {
        UNDONE.addAndGet(changes);
    }

    /**
     * The last line, to be printed now: "interrupted by SIGTERM; undid this run's 3 changes", "stdout closed by its
     * reader (SIGPIPE), the output is incomplete; nothing to undo". Null once it was given out: a run that did not
     * unwind in time is ended by the watchdog, whose exit prints it while the run itself may reach its own end.
     */
    public static String message() {
        return TOLD.compareAndSet(false, true) ? describe() : null;
    }

    /** Prints the last line on stderr, unless it was given out already. */
    public static void sayLastLine() {
        String last = message();
        if (last != null) {
            System.err.println("macvlan-doctor: " + last);
            System.err.flush();
        }
    }

    /**
     * The same line, not counted as said: an exception's message may be read and never printed (a capture thread
     * asks whether an interrupted handle's interface vanished), and the run's last line must still come.
     */
    private static String describe() {
        int n = UNDONE.get();
        String what = "SIGPIPE".equals(received) ? "stdout closed by its reader (SIGPIPE), the output is incomplete"
                : "interrupted" + (received == null ? "" : " by " + received);
        java.util.List<String> done = new java.util.ArrayList<>();
        if (n > 0) {
            done.add("undid this run's " + n + " change" + (n == 1 ? "" : "s"));
        }
        done.addAll(CLEANED);
        return what + "; " + (done.isEmpty() ? "nothing to undo" : String.join("; ", done));
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
            return describe();
        }
    }
}
