package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** iproute2 scoped to one network namespace: reads through `ip -j`, changes through plain argv. */
public final class Ip {
    private final Netns ns;
    private final ProcessRunner runner;

    public Ip(Netns ns, ProcessRunner runner) {
        this.ns = ns;
        this.runner = runner;
    }

    public Netns netns() {
        return ns;
    }

    public List<Link> links() {
        return IpJson.links(read("-d", "addr", "show"));
    }

    public Optional<Link> link(String name) {
        return links().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    public List<Route> routes() {
        return IpJson.routes(read("route", "show", "table", "main"));
    }

    /** The kernel's choice of device and source address for a destination; null when unreachable. */
    public RouteLookup routeGet(int dst) {
        List<String> argv = argv(List.of("-j", "route", "get", Ipv4.format(dst)));
        ProcessRunner.Result r = runner.run(argv);
        if (!r.ok()) {
            if (r.stderr().contains("unreachable")) {
                return null;
            }
            throw failure(r);
        }
        return IpJson.routeGet(r.stdout());
    }

    /** The full command line, as a user would type it. */
    public List<String> argv(List<String> ipArgs) {
        List<String> a = new ArrayList<>(ns.ipCommand());
        a.addAll(ipArgs);
        return a;
    }

    /** Runs an `ip` subcommand that changes something; a refusal becomes an environment error. */
    public void change(List<String> ipArgs) {
        ProcessRunner.Result r = runner.run(argv(ipArgs));
        if (!r.ok()) {
            throw failure(r);
        }
    }

    /**
     * Runs several `ip` subcommands in one process (`ip -batch -`), stopping at the first that fails: one process
     * instead of one per command, for building the lab.
     */
    public void batch(List<List<String>> commands) {
        if (commands.isEmpty()) {
            return;
        }
        StringBuilder in = new StringBuilder();
        for (List<String> c : commands) {
            in.append(String.join(" ", c)).append('\n');
        }
        ProcessRunner.Result r = runner.run(argv(List.of("-batch", "-")), in.toString());
        if (!r.ok()) {
            throw new EnvironmentException(String.join(" ", r.argv()) + " failed: " + r.firstErrorLine()
                    + " (" + r.stderr().strip().replace('\n', ' ') + ")");
        }
    }

    /** Runs an `ip` subcommand and returns its result, successful or not. */
    public ProcessRunner.Result tryRun(List<String> ipArgs) {
        return runner.run(argv(ipArgs));
    }

    private String read(String... args) {
        List<String> a = new ArrayList<>(List.of("-j"));
        a.addAll(List.of(args));
        ProcessRunner.Result r = runner.run(argv(a));
        if (!r.ok()) {
            throw failure(r);
        }
        return r.stdout();
    }

    private EnvironmentException failure(ProcessRunner.Result r) {
        String msg = r.firstErrorLine();
        return new EnvironmentException(String.join(" ", r.argv()) + " failed: "
                + (msg.isEmpty() ? "exit code " + r.exitCode() : msg));
    }
}
