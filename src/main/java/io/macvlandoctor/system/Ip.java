package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.ParentNic;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * iproute2 scoped to one network namespace: reads (and neighbour flushes) over rtnetlink in-process, as `ip` does
 * them but without a process each; changes through `ip` with plain argv, the commands a person would type.
 */
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
        return runner.live() ? Namespaces.call(ns, RtNetlink::links) : IpJson.links(read("-d", "addr", "show"));
    }

    /**
     * What the device is for the LAN half of the path: its flags, promiscuity and bond mode (netlink), its driver
     * (ethtool), whether it is Wi-Fi (/proc/net/wireless of its namespace).
     */
    public ParentNic nic(String dev) {
        if (!runner.live()) {
            return ParentNic.UNKNOWN;
        }
        return Namespaces.call(ns, () -> {
            ParentNic n = RtNetlink.nic(dev);
            return new ParentNic(Ethtool.driver(dev), wireless(dev), n.promisc(), n.allmulti(), n.promiscuity(),
                    n.bondMode());
        });
    }

    /** /proc/net/wireless lists the wireless interfaces of the reading thread's namespace. */
    private static boolean wireless(String dev) {
        java.nio.file.Path p = java.nio.file.Path.of("/proc/thread-self/net/wireless");
        try {
            return java.nio.file.Files.exists(p) && java.nio.file.Files.readAllLines(p).stream()
                    .anyMatch(l -> l.strip().startsWith(dev + ":"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The default gateway of each family, as the main table has it (the first default route with one). */
    public Map<Family, IpAddress> gateways() {
        Map<Family, IpAddress> out = new java.util.EnumMap<>(Family.class);
        for (Route r : routes()) {
            if (r.dst() == null && r.gateway() != null) {
                IpAddress g = IpAddress.tryParse(r.gateway());
                if (g != null) {
                    out.putIfAbsent(g.family(), g);
                }
            }
        }
        return out;
    }

    public Optional<Link> link(String name) {
        return links().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The main table of both families. */
    /** A namespace's links with their addresses and its main table's routes, read together. */
    public record LinksAndRoutes(List<Link> links, List<Route> routes) {
    }

    /** links() and routes() in one read: one switch into the namespace, one socket, one dump of the links. */
    public LinksAndRoutes linksAndRoutes() {
        return runner.live() ? Namespaces.call(ns, RtNetlink::linksAndRoutes) : new LinksAndRoutes(links(), routes());
    }

    public List<Route> routes() {
        if (runner.live()) {
            return Namespaces.call(ns, RtNetlink::routes);
        }
        List<Route> l = new ArrayList<>(IpJson.routes(read("-4", "route", "show", "table", "main")));
        l.addAll(IpJson.routes(read("-6", "route", "show", "table", "main")));
        return l;
    }

    /** Both families' routes of every table but local, each saying its table (main's say none). */
    public List<Route> routesEveryTable() {
        if (runner.live()) {
            return Namespaces.call(ns, () -> RtNetlink.routes(true));
        }
        List<Route> l = new ArrayList<>(IpJson.routes(read("-4", "route", "show", "table", "all")));
        l.addAll(IpJson.routes(read("-6", "route", "show", "table", "all")));
        return l;
    }

    /** The policy rules of both families, in priority order (`ip rule show`). */
    public List<PolicyRule> rules() {
        List<PolicyRule> l = new ArrayList<>(IpJson.rules(read("-4", "rule", "show"), Family.V4));
        l.addAll(IpJson.rules(read("-6", "rule", "show"), Family.V6));
        return l;
    }

    /** The kernel's choice of device and source address for a destination; null when unreachable. */
    public RouteLookup routeGet(IpAddress dst) {
        if (runner.live()) {
            return Namespaces.call(ns, () -> RtNetlink.routeGet(dst));
        }
        ProcessRunner.Result r = runner.run(argv(List.of("-j", "route", "get", dst.toString())));
        if (!r.ok()) {
            if (r.stderr().contains("nreachable") || r.stderr().contains("No route")) {
                return null;
            }
            throw failure(r);
        }
        return IpJson.routeGet(r.stdout());
    }

    /** The neighbour entries for an address (`ip neigh show to X`), as neighbours of side. */
    public List<Neighbour> neighbours(IpAddress to, Side side) {
        if (runner.live()) {
            return Namespaces.call(ns, () -> RtNetlink.neighbours(to, side, false));
        }
        ProcessRunner.Result r = tryRun(List.of("-j", "neigh", "show", "to", to.toString()));
        return r.ok() ? IpJson.neighbours(r.stdout(), side, false) : List.of();
    }

    /** The IPv6 proxy entries (`ip -6 neigh show proxy`). */
    public List<Neighbour> proxies(Side side) {
        if (runner.live()) {
            return Namespaces.call(ns, () -> RtNetlink.neighbours(null, side, true));
        }
        ProcessRunner.Result r = tryRun(List.of("-j", "-6", "neigh", "show", "proxy"));
        return r.ok() ? IpJson.neighbours(r.stdout(), side, true) : List.of();
    }

    /** Whether an IPv6 address of dev is still in duplicate address detection (tentative). */
    public boolean tentative(String dev) {
        if (runner.live()) {
            return Namespaces.call(ns, () -> RtNetlink.tentative(dev));
        }
        ProcessRunner.Result r = tryRun(List.of("-j", "-6", "addr", "show", "dev", dev));
        return r.ok() && r.stdout().contains("\"tentative\":true");
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

    /**
     * `ip neigh flush to X` for each address: the entries go on every device, permanent and no-ARP ones stay. Over
     * netlink, in one visit to the namespace; through one `ip -batch` process for a runner that stands in for
     * iproute2.
     */
    public void flushNeighbours(List<IpAddress> ips) {
        if (ips.isEmpty()) {
            return;
        }
        if (runner.live()) {
            Namespaces.call(ns, () -> {
                ips.forEach(RtNetlink::flush);
                return null;
            });
            return;
        }
        batch(ips.stream().map(a -> List.of("neigh", "flush", "to", a.toString())).toList());
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
