package io.macvlandoctor.cli;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.engine.Repair;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.report.TextReport;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.Terminal;
import io.macvlandoctor.target.TargetResolver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `diagnose`: probe, gather the kernel's facts, and name what breaks the path; with --apply, mend it. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Probe the path as verify does, gather the kernel facts (links, modes, routes, the kernel's "
            + "route choices, effective arp_ignore / arp_filter / rp_filter, proxy NDP, neighbours, firewall rules) "
            + "and name every cause of a broken path with its evidence, the exact commands that fix it (fix) and "
            + "what else to know (notes). Changes nothing but neighbour entries, unless --apply. Exit 0: healthy; "
            + "1: a cause was found, or the path could not be proven.", ""})
public final class DiagnoseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;

    @Mixin
    VerifyCommand.ProbeOptions probe;

    @Option(names = "--apply", description = "Make the printed fix through the journal (teardown undoes it), then "
            + "verify again and show before and after. Asks on a terminal; refuses causes that need a decision off "
            + "the host.")
    boolean apply;

    @Option(names = "--yes", description = "With --apply: do not ask (for scripts).")
    boolean yes;

    @Override
    public Integer call() throws InterruptedException {
        if (!apply) {
            if (yes) {
                throw new UsageException("--yes goes with --apply");
            }
            return ProbingRun.run("diagnose", spec, target, output, probe.options(false, false, true));
        }
        TargetResolver.validate(target.spec());
        output.validate();
        Privileges.requireNetworkAdmin("diagnose --apply");
        PrintWriter out = spec.commandLine().getOut();
        if (!yes && !Terminal.stdin()) {
            throw new UsageException("diagnose --apply asks before it changes anything: give --yes when there is no "
                    + "terminal to ask on");
        }
        Repair.Result r = new Repair(new ProcessRunner(), spec.commandLine().getErr()::println).apply(target.spec(),
                probe.options(false, false, true), cmds -> yes || confirm(cmds, out), l -> {
                    out.println("+ " + l);
                    out.flush();
                });
        if (r.after() == null) {
            output.write(List.of(r.before()), out, spec.commandLine().getErr());
            return ProbingRun.exitCode(List.of(r.before()));
        }
        out.println();
        out.println("== before");
        TextReport.writeVerdict(r.before(), out, output.style());
        out.println();
        out.println("== after (" + r.applied().size() + " change" + (r.applied().size() == 1 ? "" : "s")
                + " journaled; undo them with: macvlan-doctor teardown" + target.hostArgs() + ")");
        List<Report> after = List.of(r.after());
        output.write(after, out, spec.commandLine().getErr());
        return ProbingRun.exitCode(after);
    }

    private static boolean confirm(List<String> cmds, PrintWriter out) {
        out.println("diagnose --apply will run, through the journal:");
        cmds.forEach(c -> out.println("  " + c));
        out.print("apply these " + cmds.size() + " command" + (cmds.size() == 1 ? "" : "s") + "? [y/N] ");
        out.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line != null && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
