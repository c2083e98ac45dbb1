package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.lab.Lab;
import io.macvlandoctor.lab.LabDocker;
import io.macvlandoctor.system.ProcessRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `lab list`: the labs and their namespaces. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the labs and their namespaces.")
public final class LabListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, List<String>> labs = new Lab(new ProcessRunner()).list();
        if (labs.isEmpty()) {
            out.println("no labs");
        }
        labs.forEach((n, parts) -> {
            boolean docker = LabDocker.isDockerLab(n);
            boolean complete = parts.containsAll(List.of("host", "lan")) && (docker || parts.contains("ctr"));
            long ctrs = parts.stream().filter(p -> p.startsWith("ctr")).count();
            out.println(n + "  (" + String.join(", ", parts.stream().map(p -> "mvd-" + n + "-" + p).toList()) + ")"
                    + (docker ? "  docker " + LabDocker.host(n) : "") + (ctrs > 1 ? "  " + ctrs + " containers" : "")
                    + (complete ? "" : "  incomplete"));
        });
        out.flush();
        return ExitCodes.OK;
    }
}
