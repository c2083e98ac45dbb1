package io.macvlandoctor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

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

    /** Whether the arguments ask for the version alone, which needs no command model at all. */
    public static boolean versionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /**
     * The CLI for these arguments: when the first one names a subcommand, the top command with that one only.
     * Picocli builds a command's model by reflection over every option of every subcommand, a quarter of a
     * second of a run; a run needs one. The top command's own help and errors come from the whole tree.
     */
    public static CommandLine forArgs(String[] args) {
        if (versionOnly(args)) {
            // The version alone: the top command without its subcommands.
            CommandSpec top = bareTop().versionProvider(new VersionProvider());
            top.mixinStandardHelpOptions(true);
            return configure(new CommandLine(top));
        }
        if (args.length > 0) {
            for (Class<?> c : MacvlanDoctor.class.getAnnotation(Command.class).subcommands()) {
                Command sub = c.getAnnotation(Command.class);
                if (sub != null && sub.name().equals(args[0])) {
                    CommandLine cl = new CommandLine(bareTop());
                    cl.addSubcommand(sub.name(), newInstance(c));
                    return configure(cl);
                }
            }
        }
        return root();
    }

    /** The top command's name and object, without the model of its options and subcommands. */
    private static CommandSpec bareTop() {
        return CommandSpec.wrapWithoutInspection(new MacvlanDoctor())
                .name(MacvlanDoctor.class.getAnnotation(Command.class).name());
    }

    private static Object newInstance(Class<?> c) {
        try {
            return c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + c.getName(), e);
        }
    }
}
