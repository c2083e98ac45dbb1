package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.TargetResolver;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `setup`: applies the article's fix to a target through the journal, or says it is already there. */
@Command(name = "setup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create the host-side macvlan shim on the parent (bridge mode), bring it up and route the "
            + "container's address through it. Every change is journaled; 'teardown' undoes them.", ""})
public final class SetupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Option(names = "--mode", defaultValue = "bridge", description = "Shim mode (default: ${DEFAULT-VALUE}; "
            + "the only one that reaches bridge-mode containers).")
    String mode;

    @Option(names = "--shim-ip", paramLabel = "CIDR",
            description = "Give the shim its own address (then it is the source of host-to-container traffic).")
    String shimIp;

    @Option(names = "--dry-run", description = "Print the exact ip commands and change nothing.")
    boolean dryRun;

    @Option(names = "--route", defaultValue = "container", paramLabel = "container|ip-range",
            description = "What to route through the shim: the container's address (default), or with --container "
                + "its Docker network's whole --ip-range, so that containers started later work too.")
    String route;

    private Cidr routeTo(Target t) {
        if (route.equals("container")) {
            return new Cidr(t.containerIp(), 32);
        }
        if (t.docker() == null) {
            throw new UsageException("--route ip-range needs a Docker target (--container, or a lab built with --docker)");
        }
        if (t.docker().network().ipRange() == null) {
            throw new UsageException("Docker network " + t.docker().network().name() + " has no --ip-range: route the "
                    + "container alone (--route container); routing the whole subnet would take the LAN from the "
                    + "parent");
        }
        return t.docker().network().ipRange();
    }

    @Override
    public Integer call() {
        if (!route.equals("container") && !route.equals("ip-range")) {
            throw new UsageException("--route " + route + ": container or ip-range");
        }
        if (!mode.equals("bridge")) {
            throw new UsageException("--mode " + mode + ": only bridge mode lets the shim reach bridge-mode containers");
        }
        Cidr ip = shimIp == null ? null : Cidr.parse(shimIp);
        TargetResolver.validate(target.spec());
        Privileges.requireNetworkAdmin("setup");
        ProcessRunner runner = new ProcessRunner();
        Target t = new TargetResolver(runner).resolve(target.spec());
        Cidr routeTo = routeTo(t);
        SetupPlanner.Plan plan = SetupPlanner.plan(t, new Ip(t.hostNs(), runner).routes(), mode, ip, routeTo);
        PrintWriter out = spec.commandLine().getOut();
        out.println("target: " + t.describe());
        out.println("route:  " + routeTo + (routeTo.prefix() == 32 ? " (the container)"
                : " (the ip-range of Docker network " + t.docker().network().name() + ")"));
        plan.alreadyThere().forEach(s -> out.println("  already there: " + s));
        if (plan.nothingToDo()) {
            out.println("nothing to do: the fix is already in place");
        } else if (dryRun) {
            out.println("would run (--dry-run, nothing changed):");
            plan.changes().forEach(c -> out.println("  " + c.command()));
        } else {
            try (Journal journal = Journal.forHost(t.hostNs(), runner, spec.commandLine().getErr()::println)) {
                journal.applyAll(plan.changes(), c -> {
                    out.println("+ " + c.command());
                    out.flush();
                });
            }
            out.println("done: " + plan.changes().size() + " change" + (plan.changes().size() == 1 ? "" : "s")
                    + " journaled; undo with: macvlan-doctor teardown" + target.hostArgs());
        }
        out.flush();
        return ExitCodes.OK;
    }

}
