package io.macvlandoctor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `diagnose`: probe, gather the kernel's facts, and name what breaks the path. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Probe the path as verify does, gather the kernel facts (links, modes, routes, the kernel's "
            + "route choices, effective arp_ignore / arp_filter / rp_filter, neighbours) and name each cause of a "
            + "broken path with its evidence and the exact commands that fix it. Changes nothing but neighbour "
            + "entries. Exit 0: healthy; 1: a cause was found.", ""})
public final class DiagnoseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;

    @Mixin
    VerifyCommand.ProbeOptions probe;

    @Override
    public Integer call() throws InterruptedException {
        return ProbingRun.run("diagnose", spec, target, output, probe.options(false, false, true));
    }
}
