package io.macvlandoctor;

import io.macvlandoctor.capture.Libpcap;
import io.macvlandoctor.cli.CommandLines;
import io.macvlandoctor.cli.ErrorHandler;
import io.macvlandoctor.cli.VersionProvider;
import io.macvlandoctor.system.JnaBoot;
import picocli.CommandLine;

/**
 * Parses the command line, runs one command and exits with its code: the only exit point. Whatever escapes the
 * command's own handling (an Error included) becomes one line on stderr and exit 4, never a stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (CommandLines.versionOnly(args)) {
            version();
        }
        Trace.mark("main");
        JnaBoot.prepare();
        if (args.length > 0 && (args[0].equals("verify") || args[0].equals("diagnose"))) {
            JnaBoot.warmUp(Libpcap::warmUp);
        }
        Signals.install(Thread.currentThread());
        Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            ErrorHandler.Outcome o = ErrorHandler.classify(t);
            say(o.message());
            code = o.exitCode();
        }
        // PrintStream keeps a write error to itself: here is where a reader that closed stdout (`| head -1`) shows.
        if (System.out.checkError()) {
            Signals.stdoutClosed();
        }
        // A signal decides the code, even one the command finished despite (it came while the report was written).
        if (Signals.received() != null) {
            Signals.sayLastLine();
            code = Signals.exitCode();
        }
        System.exit(code);
    }

    /**
     * A thread other than main that fails: one line, never a stack trace (MVD_DEBUG prints it). After a signal
     * the run is ending and the signal's line says so; a worker that stopped with it says nothing more.
     */
    private static void uncaught(Thread t, Throwable e) {
        if (System.getenv("MVD_DEBUG") != null) {
            e.printStackTrace();
        } else if (Signals.received() == null) {
            String m = ErrorHandler.classify(e).message();
            say(m == null ? null : m + " (in " + t.getName() + ")");
        }
    }

    /** One line on stderr; none for null (the signal's last line, said already). */
    private static void say(String message) {
        if (message != null) {
            System.err.println("macvlan-doctor: " + message);
        }
    }

    /**
     * What picocli prints for --version, and the exit, before anything else is set up: scripts ask for it often,
     * and a run that only prints a line has no signal to handle, nothing to undo and no reason to start the JDK's
     * logging, which System.exit does.
     */
    private static void version() {
        for (String line : new VersionProvider().getVersion()) {
            System.out.println(line);
        }
        if (System.out.checkError()) {
            Signals.stdoutClosed();
        }
        Runtime.getRuntime().halt(Signals.received() == null ? 0 : Signals.exitCode());
    }

    public static int run(String[] args) {
        CommandLine cl = CommandLines.forArgs(args);
        Trace.mark("commands built");
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            Trace.mark("output written");
        }
    }
}
