package io.macvlandoctor.cli;

import io.macvlandoctor.Signals;
import io.macvlandoctor.Trace;
import io.macvlandoctor.engine.Verifier;
import io.macvlandoctor.lab.Lab;
import io.macvlandoctor.lab.LabSpec;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `lab verify`: the article, end to end, in a throwaway lab. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a throwaway lab in the state before the fix, run 'verify --setup' on it (the "
            + "isolation, the fix, the verified path) and remove the lab.", ""})
public final class LabVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    VerifyCommand.ProbeOptions probe;

    @Option(names = "--docker", description = "Run the article against a real Docker daemon (confined to the lab).")
    boolean docker;

    @Option(names = "--ipv6", description = "A dual-stack lab: both families checked, the IPv6 fix included.")
    boolean ipv6;

    @Override
    public Integer call() throws InterruptedException {
        output.validate();
        Privileges.requireNetworkAdmin("lab verify");
        ProcessRunner runner = new ProcessRunner();
        Lab lab = new Lab(runner);
        String name = "verify-" + ProcessHandle.current().pid();
        PrintWriter out = spec.commandLine().getOut();
        LabSpec labSpec = ipv6 ? LabSpec.article(name).withV6(LabSpec.V6.article()) : LabSpec.article(name);
        List<String> built = lab.up(labSpec, false, List.of(), docker);
        Trace.mark("lab up");
        try {
            if (!output.stdoutTaken() && !output.quiet) {
                out.println("lab: the article's topology, before the fix, in throwaway namespaces:");
                built.forEach(l -> out.println("  " + l));
                out.println();
            }
            List<Report> r = new Verifier(runner, spec.commandLine().getErr()::println).verify(TargetSpec.lab(name),
                    probe.options(true, false, false), "lab verify");
            output.write(r, out, spec.commandLine().getErr());
            return ProbingRun.exitCode(r);
        } finally {
            if (!lab.down(name).isEmpty() && Signals.received() != null) {
                Signals.noteCleanup("removed the throwaway lab '" + name + "'");
            }
        }
    }
}
