package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import java.util.List;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.engine.MultiVerifier;
import io.macvlandoctor.engine.Verifier;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.TargetResolver;
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
        TargetResolver.validate(target.spec());
        output.validate();
        Privileges.requireNetworkAdmin("diagnose");
        ProcessRunner runner = new ProcessRunner();
        List<Target> many = new TargetResolver(runner).labContainers(target.spec());
        if (!many.isEmpty()) {
            List<Report> reports = new MultiVerifier(runner, spec.commandLine().getErr()::println)
                    .verify(many, probe.options(false, false, true), "diagnose");
            output.writeMany(reports, spec.commandLine().getOut());
            return reports.stream().allMatch(Report::passed) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
        Report r = new Verifier(runner, spec.commandLine().getErr()::println).verify(target.spec(),
                probe.options(false, false, true), "diagnose");
        output.write(r, spec.commandLine().getOut());
        return r.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
