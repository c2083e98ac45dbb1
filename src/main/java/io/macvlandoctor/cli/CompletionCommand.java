package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `completion`: a bash/zsh completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh) completion script: source <(macvlan-doctor completion)", ""})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("macvlan-doctor", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
