package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.engine.MultiVerifier;
import io.macvlandoctor.engine.Verifier;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.TargetResolver;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** What verify and diagnose share: check the input, probe one container or every container of a lab, report. */
final class ProbingRun {
    private ProbingRun() {
    }

    static int run(String command, CommandSpec spec, TargetOptions target, OutputOptions output,
                   Verifier.Options options) throws InterruptedException {
        TargetResolver.validate(target.spec());
        output.validate();
        Privileges.requireNetworkAdmin(command);
        ProcessRunner runner = new ProcessRunner();
        List<Target> many = new TargetResolver(runner).labContainers(target.spec());
        if (!many.isEmpty()) {
            if (options.setup()) {
                throw new UsageException(command + " --setup works on one container: name it with --container-netns "
                        + many.get(0).containerNs().ref() + " (or another mvd-NAME-ctrN)");
            }
            List<Report> reports = new MultiVerifier(runner, spec.commandLine().getErr()::println)
                    .verify(many, options, command);
            output.writeMany(reports, spec.commandLine().getOut());
            return reports.stream().allMatch(Report::passed) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
        Report r = new Verifier(runner, spec.commandLine().getErr()::println).verify(target.spec(), options, command);
        output.write(r, spec.commandLine().getOut());
        return r.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
