package io.macvlandoctor;

import io.macvlandoctor.cli.CommandLines;
import io.macvlandoctor.cli.ErrorHandler;
import io.macvlandoctor.system.Signals;
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
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            ErrorHandler.Outcome o = ErrorHandler.classify(t);
            System.err.println("macvlan-doctor: " + o.message());
            code = o.exitCode();
        }
        System.out.flush();
        System.exit(code);
    }

    public static int run(String[] args) {
        CommandLine cl = CommandLines.forArgs(args);
        Trace.mark("commands built");
        return cl.execute(args);
    }
}
