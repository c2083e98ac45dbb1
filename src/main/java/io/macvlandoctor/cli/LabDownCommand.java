package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.lab.Lab;
import io.macvlandoctor.lab.LabSpec;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `lab down`: removes a lab's namespaces and nothing else. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Remove a lab's namespaces (and whatever runs inside them); nothing else.")
public final class LabDownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Which which = new Which();

    static final class Which {
        @Option(names = "--name", description = "Lab name (default: lab).")
        String name;

        @Option(names = "--all", description = "Remove every lab (namespaces named mvd-*-host|ctr|lan).")
        boolean all;
    }

    @Override
    public Integer call() {
        if (which.name != null) {
            LabSpec.validateName(which.name);
        }
        Privileges.requireNetworkAdmin("lab down");
        Lab lab = new Lab(new ProcessRunner());
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = which.all ? new ArrayList<>(lab.list().keySet())
                : List.of(which.name == null ? LabSpec.DEFAULT_NAME : which.name);
        int removed = 0;
        for (String n : names) {
            List<String> gone = lab.down(n);
            removed += gone.size();
            if (!gone.isEmpty()) {
                out.println("lab '" + n + "' removed (" + String.join(", ", gone) + ")");
            }
        }
        if (removed == 0) {
            out.println(which.all ? "no lab to remove" : "lab '" + names.get(0) + "' does not exist: nothing to remove");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
