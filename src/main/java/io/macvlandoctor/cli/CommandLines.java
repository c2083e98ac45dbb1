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
        return configure(CommandModel.whole());
    }

    /** Whether the arguments ask for the version alone, which needs no command model at all. */
    public static boolean versionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /**
     * The CLI for these arguments: when the first one names a subcommand, the top command with that one only (a
     * run needs one, and each costs its model). The top command's own help and errors come from the whole tree.
     */
    public static CommandLine forArgs(String[] args) {
        if (args.length > 0 && !versionOnly(args)) {
            CommandLine sub = CommandModel.subcommand(args[0]);
            if (sub != null) {
                CommandLine cl = new CommandLine(CommandModel.top());
                cl.addSubcommand(args[0], sub);
                return configure(cl);
            }
        }
        return root();
    }
}
