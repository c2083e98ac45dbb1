package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.Signals;
import io.macvlandoctor.ToolException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns a failure into an exit code and one line on stderr (the contract, docs/design.md). A stack trace is
 * printed only when MVD_DEBUG is set.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final boolean debug;

    public ErrorHandler(boolean debug) {
        this.debug = debug;
    }

    /** The exit code and the message for a failure; the message is null when it is a signal's line said already. */
    public record Outcome(int exitCode, String message) {
    }

    public static Outcome classify(Throwable t) {
        Throwable root = unwrap(t);
        if (root instanceof Signals.Interrupted || root instanceof ToolException && Signals.received() != null) {
            return new Outcome(Signals.exitCode(), Signals.message());
        }
        if (root instanceof ToolException te) {
            return new Outcome(te.exitCode(), te.getMessage());
        }
        if (root instanceof InterruptedException || Signals.received() != null) {
            return new Outcome(Signals.exitCode(), Signals.message());
        }
        if (root instanceof ParameterException pe) {
            return new Outcome(ExitCodes.USAGE, pe.getMessage());
        }
        if (root instanceof IOException io) {
            return new Outcome(ExitCodes.ENVIRONMENT, "I/O error: " + describe(io));
        }
        if (root instanceof UnsatisfiedLinkError ule) {
            return new Outcome(ExitCodes.ENVIRONMENT, "a native library could not be loaded: " + ule.getMessage());
        }
        if (root instanceof StackOverflowError || root instanceof OutOfMemoryError) {
            return new Outcome(ExitCodes.INTERNAL, "internal error: " + root.getClass().getSimpleName()
                    + " (the input may be too large or too deeply nested; set MVD_DEBUG=1 for the stack trace and "
                    + "please report it)");
        }
        return new Outcome(ExitCodes.INTERNAL, "internal error: " + describe(root)
                + " (set MVD_DEBUG=1 for the stack trace; please report it)");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while (true) {
            if (cur instanceof ToolException) {
                return cur;
            }
            Throwable next = cur instanceof UncheckedIOException || cur instanceof CommandLine.ExecutionException
                    || cur.getClass() == RuntimeException.class ? cur.getCause() : null;
            if (next == null || next == cur) {
                return cur;
            }
            cur = next;
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Outcome o = classify(ex);
        print(cmd.getErr(), o.message(), ex);
        return o.exitCode();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        String msg = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            msg += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        print(cmd.getErr(), msg + "; see '" + help + "'", ex);
        return ExitCodes.USAGE;
    }

    private void print(PrintWriter err, String message, Throwable ex) {
        if (message != null) {
            err.println("macvlan-doctor: " + oneLine(message));
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
