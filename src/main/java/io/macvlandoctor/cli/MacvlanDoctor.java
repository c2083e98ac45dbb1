package io.macvlandoctor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command: only lists the subcommands. */
@Command(name = "macvlan-doctor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Sets up, probes and verifies the path between a Linux host and its Docker containers on a macvlan "
                + "network, frame by frame, and names the cause when it is broken.", ""},
        subcommands = {VerifyCommand.class, DiagnoseCommand.class, AnalyzeCommand.class, FactsCommand.class,
            SetupCommand.class, TeardownCommand.class, LabCommand.class, ShellCommand.class, CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pass: every check proven on the frames / healthy / done",
            "1:fail (a check failed; the diagnosis is printed) or inconclusive (something could not be proven)",
            "2:usage or bad input",
            "3:environment: privilege, libpcap, iproute2, namespace, container or interface missing",
            "4:internal error",
            "130:SIGINT (after the run's own changes were undone)",
            "143:SIGTERM (after the run's own changes were undone)"})
public final class MacvlanDoctor implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
