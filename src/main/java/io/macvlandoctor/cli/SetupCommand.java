package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.engine.Setup;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.Journal;
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

/** `setup`: applies the fix to a target through the journal, or says it is already there. */
@Command(name = "setup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create the host-side macvlan shim on the parent (bridge mode), bring it up and route the "
            + "container's addresses through it; for IPv6 also proxy NDP on the shim (proxy_ndp, forwarding, "
            + "proxy_delay 0, a proxy entry for the host's address). Every change is journaled; 'teardown' undoes "
            + "them.", ""})
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

    @Option(names = "--dry-run", description = "Print the exact commands and change nothing.")
    boolean dryRun;

    @Option(names = "--route", defaultValue = "container", paramLabel = "container|ip-range",
            description = "What to route through the shim: the container's addresses (default), or with --container "
                + "its Docker network's whole --ip-range (each family's), so that containers started later work too.")
    String route;

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
        Setup setup = new Setup(runner);
        Setup.Request req = new Setup.Request(mode, ip, route.equals("container") ? Setup.Scope.CONTAINER
                : Setup.Scope.IP_RANGE);
        List<Cidr> routeTo = Setup.routeTo(t, req.scope());
        SetupPlanner.Plan plan = setup.plan(t, req);
        PrintWriter out = spec.commandLine().getOut();
        out.println("target: " + t.describe());
        for (Cidr c : routeTo) {
            out.println("route:  " + c.destination() + (c.isHost() ? " (the container)"
                    : " (the ip-range of Docker network " + t.docker().network().name() + ")"));
        }
        plan.alreadyThere().forEach(s -> out.println("  already there: " + s));
        if (plan.nothingToDo()) {
            out.println("nothing to do: the fix is already in place");
        } else if (dryRun) {
            out.println("would run (--dry-run, nothing changed):");
            plan.changes().forEach(c -> out.println("  " + c.command()));
        } else {
            try (Journal journal = Journal.forHost(t.hostNs(), runner, spec.commandLine().getErr()::println)) {
                setup.apply(journal, plan, c -> {
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
