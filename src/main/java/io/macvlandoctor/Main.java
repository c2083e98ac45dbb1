package io.macvlandoctor;

import io.macvlandoctor.cli.CommandLines;
import io.macvlandoctor.cli.ErrorHandler;
import io.macvlandoctor.cli.VersionProvider;
import picocli.CommandLine;

/**
 * Parses the command line, runs one command and exits with its code: the only exit point. Whatever escapes the
 * command's own handling (an Error included) becomes one line on stderr and exit 4, never a stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Trace.mark("main");
        Signals.install(Thread.currentThread());
        Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            ErrorHandler.Outcome o = ErrorHandler.classify(t);
            System.err.println("macvlan-doctor: " + o.message());
            code = o.exitCode();
        }
        // PrintStream keeps a write error to itself: here is where a reader that closed stdout (`| head -1`) shows.
        if (System.out.checkError()) {
            Signals.stdoutClosed();
        }
        // A signal decides the code, even one the command finished despite (it came while the report was written).
        if (Signals.received() != null) {
            if (!Signals.told()) {
                System.err.println("macvlan-doctor: " + Signals.message());
            }
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
            System.err.println("macvlan-doctor: " + ErrorHandler.classify(e).message() + " (in " + t.getName() + ")");
        }
    }

    public static int run(String[] args) {
        if (CommandLines.versionOnly(args)) {
            // What picocli prints for --version, without loading picocli: scripts ask for it often.
            for (String line : new VersionProvider().getVersion()) {
                System.out.println(line);
            }
            Trace.mark("output written");
            return 0;
        }
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
