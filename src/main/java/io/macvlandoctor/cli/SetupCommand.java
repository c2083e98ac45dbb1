package io.macvlandoctor.cli;

import io.macvlandoctor.Trace;
import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.analysis.PersistFormats;
import io.macvlandoctor.engine.Persist;
import io.macvlandoctor.engine.Setup;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Option(names = "--replace-route", description = "Replace a route to the container (or the ip-range) that goes "
            + "elsewhere, through the parent say, instead of refusing it; the route it replaced is journaled and "
            + "teardown puts it back.")
    boolean replaceRoute;

    @Option(names = "--dry-run", description = "Print the exact commands and change nothing.")
    boolean dryRun;

    @Option(names = "--route", defaultValue = "container", paramLabel = "container|ip-range",
            description = "What to route through the shim: the container's addresses (default), or with --container "
                + "its Docker network's whole --ip-range (each family's), so that containers started later work too.")
    String route;

    @Option(names = "--persist", arity = "0..1", fallbackValue = "auto", paramLabel = "FORMAT",
            description = "Also write the configuration that recreates the fix at boot: networkd, nm, ifupdown or "
                + "unit (a systemd service); without FORMAT, the manager that configures the parent is detected. "
                + "Journaled: teardown removes the files.")
    String persist;

    @Option(names = "--persist-root", paramLabel = "DIR", defaultValue = "/",
            description = "Write the --persist files under DIR instead of / (an image being built, a test).")
    Path persistRoot;

    @Override
    public Integer call() {
        if (!route.equals("container") && !route.equals("ip-range")) {
            throw new UsageException("--route " + route + ": container or ip-range");
        }
        if (!mode.equals(MacvlanMode.BRIDGE.id())) {
            throw new UsageException("--mode " + mode + ": only bridge mode lets the shim reach bridge-mode containers");
        }
        Cidr ip = shimIp == null ? null : Cidr.parse(shimIp);
        TargetSpec ts = target.spec();
        TargetResolver.validate(ts);
        if (ts.dockerNetworks() && !route.equals("container")) {
            throw new UsageException("--route goes with --container: --docker-network routes the network's ip-range "
                    + "(or each container's address when it has none)");
        }
        Privileges.requireNetworkAdmin("setup");
        ProcessRunner runner = new ProcessRunner();
        TargetResolver resolver = new TargetResolver(runner);
        Setup setup = new Setup(runner);
        Setup.Request req = new Setup.Request(MacvlanMode.BRIDGE, ip, route.equals("container") ? Setup.Scope.CONTAINER
                : Setup.Scope.IP_RANGE, replaceRoute);
        PrintWriter out = spec.commandLine().getOut();
        if (!ts.dockerNetworks()) {
            Target t = resolver.resolve(ts);
            Trace.mark("target resolved");
            apply(setup, t, req, Setup.routeTo(t, req.scope()), runner, out);
            return ExitCodes.OK;
        }
        // A Docker network at a time: its ip-range once for all its containers, each planned against what the
        // kernel has after the previous network's changes (two networks on one parent share the shim).
        List<String> networks = new ArrayList<>(Setup.perNetwork(resolver.resolveAll(ts)).keySet());
        for (String n : networks) {
            List<Target> members = Setup.perNetwork(resolver.resolveAll(ts)).get(n);
            apply(setup, members.get(0), req, Setup.networkRoutes(members.get(0).docker().network(), members),
                    runner, out);
        }
        return ExitCodes.OK;
    }

    private void apply(Setup setup, Target t, Setup.Request req, List<Cidr> routeTo, ProcessRunner runner,
                       PrintWriter out) {
        SetupPlanner.Plan plan = setup.plan(t, req, routeTo);
        Persist.Plan boot = persist == null ? null : Persist.plan(t, routeTo, req.shimIp(), persist, persistRoot);
        out.println("target: " + t.describe());
        for (Cidr c : routeTo) {
            out.println("route:  " + c.destination() + (!c.isHost() ? " (the ip-range of Docker network "
                    + t.docker().network().name() + ")" : t.docker() != null && !t.containerIps().containsValue(
                            c.address()) ? " (a container outside the network's ip-range)" : " (the container)"));
        }
        plan.alreadyThere().forEach(s -> out.println("  already there: " + s));
        List<Change> changes = new ArrayList<>(plan.changes());
        if (boot != null) {
            out.println("persist: " + boot.format().id() + " (" + boot.why() + ") under " + persistRoot);
            boot.there().forEach(s -> out.println("  already there: " + s));
            changes.addAll(boot.changes());
        }
        if (changes.isEmpty()) {
            out.println("nothing to do: the fix is already in place");
        } else if (dryRun) {
            out.println("would run (--dry-run, nothing changed):");
            plan.changes().forEach(c -> out.println("  " + c.command()));
            if (boot != null) {
                for (PersistFormats.File f : boot.files()) {
                    Path p = persistRoot.resolve(f.path());
                    out.println(f.linkTarget() != null ? "  ln -s " + f.linkTarget() + " " + p : "  write " + p + ":");
                    if (f.text() != null) {
                        f.text().lines().forEach(l -> out.println("    | " + l));
                    }
                }
            }
        } else {
            try (Journal journal = Journal.forHost(t.hostNs(), runner, spec.commandLine().getErr()::println)) {
                journal.applyAll(changes, c -> {
                    out.println("+ " + c.command());
                    out.flush();
                });
            }
            out.println("done: " + changes.size() + " change" + (changes.size() == 1 ? "" : "s")
                    + " journaled; undo with: macvlan-doctor teardown" + target.hostArgs());
        }
        out.flush();
    }
}
