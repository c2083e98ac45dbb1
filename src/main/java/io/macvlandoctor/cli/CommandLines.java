package io.macvlandoctor.cli;

import picocli.CommandLine;

/** The error handling and parsing every command tree shares: the CLI's, and each command line the shell runs. */
public final class CommandLines {
    private CommandLines() {
    }

    public static CommandLine configure(CommandLine cl) {
        ErrorHandler errors = new ErrorHandler(System.getenv("MVD_DEBUG") != null);
        return cl.setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The whole CLI. */
    public static CommandLine root() {
        return configure(new CommandLine(new MacvlanDoctor()));
    }
}
