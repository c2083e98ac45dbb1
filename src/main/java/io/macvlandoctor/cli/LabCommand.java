package io.macvlandoctor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `lab up | down | list`: the article's topology in network namespaces the tool creates. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Build the article's topology in network namespaces (mvd-NAME-host, -ctr, -lan) and remove it.",
        subcommands = {LabUpCommand.class, LabDownCommand.class, LabListCommand.class, LabVerifyCommand.class})
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing lab command (up, down or list)");
    }
}
