package io.macvlandoctor;

import io.macvlandoctor.cli.ErrorHandler;
import io.macvlandoctor.cli.MacvlanDoctor;
import picocli.CommandLine;

/** Parses the command line, runs one command and exits with its code: the only exit point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return configure(new CommandLine(new MacvlanDoctor()));
    }

    /** The error handling and parsing every command tree shares (the CLI's and the shell's). */
    public static CommandLine configure(CommandLine cl) {
        ErrorHandler errors = new ErrorHandler(System.getenv("MVD_DEBUG") != null);
        return cl.setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
