package io.macvlandoctor.cli;

import picocli.CommandLine;

/** The error handling and parsing every command tree shares: the CLI's, and each command line the shell runs. */
public final class CommandLines {
    /**
     * The types whose built-in converters picocli is told not to look for (its property picocli.converters.excludes):
     * it finds each by reflection, for every command line it makes, 3-4 ms of every run's start. No option here has
     * such a type without a converter of its own (CommandModelTest holds every option to that).
     */
    static final String UNCONVERTED_TYPES = "java\\.(sql|time)\\..*";
    private static final String EXCLUDES = "picocli.converters.excludes";

    static {
        if (System.getProperty(EXCLUDES) == null) {
            System.setProperty(EXCLUDES, UNCONVERTED_TYPES);
        }
    }

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
