package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.KernelTrace;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `teardown`: undoes the journaled changes of a host namespace, newest first, and nothing else. */
@Command(name = "teardown", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Undo what setup (or verify --setup --keep) changed in the host namespace, newest first. "
            + "Links and routes the tool did not create are never removed.", ""})
public final class TeardownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Option(names = "--recover", description = "Undo only what runs that were killed (kill -9, a power cut) left "
            + "behind; keep what a setup kept on purpose.")
    boolean recover;

    @Option(names = "--dry-run", description = "Print the commands that would undo the journaled changes, newest "
            + "first, and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        TargetResolver.validate(target.spec());
        Privileges.requireNetworkAdmin("teardown");
        Netns host = TargetResolver.hostNs(target.spec());
        PrintWriter out = spec.commandLine().getOut();
        try (Journal journal = Journal.forHost(host, new ProcessRunner(), null)) {
            List<Journal.Entry> pending = recover ? journal.interrupted() : journal.entries().stream()
                    .filter(Journal.Entry::needsUndo).toList();
            if (dryRun && !pending.isEmpty()) {
                out.println("would run (--dry-run, nothing changed):");
                // Newest first, as teardown undoes them.
                for (int i = pending.size() - 1; i >= 0; i--) {
                    out.println("  " + pending.get(i).change().undoCommand());
                }
            }
            List<String> swept = recover && !dryRun ? KernelTrace.sweep() : List.of();
            swept.forEach(out::println);
            if (pending.isEmpty() && swept.isEmpty()) {
                out.println("nothing to undo: no change of " + (recover ? "an interrupted run of " : "")
                        + "macvlan-doctor is journaled for " + host.label());
            } else if (!dryRun && !pending.isEmpty()) {
                (recover ? journal.undoInterrupted() : journal.undoAll()).forEach(out::println);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
