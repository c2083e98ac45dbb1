package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.engine.Verifier;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Verdict;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
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
        List<Report> reports = new Verifier(new ProcessRunner(), spec.commandLine().getErr()::println)
                .verify(target.spec(), options, command);
        output.write(reports, spec.commandLine().getOut(), spec.commandLine().getErr());
        return exitCode(reports);
    }

    /** 0 only when every report passed; fail and inconclusive alike give 1. */
    static int exitCode(List<Report> reports) {
        return reports.stream().allMatch(r -> r.verdict() == Verdict.PASS) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
