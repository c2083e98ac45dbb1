package io.macvlandoctor.engine;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.SetupPlanner;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.Sysctls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one setup flow: what to route, the plan against what the kernel has now, and the changes made through the
 * journal. `setup`, `verify --setup` and the shell use it.
 */
public final class Setup {
    /** What to route through the shim: the container's own addresses, or its Docker network's ip-ranges. */
    public enum Scope { CONTAINER, IP_RANGE }

    /**
     * @param mode the shim's macvlan mode (bridge)
     * @param shimIp an address for the shim itself, or null
     */
    /** @param replaceRoute replace a route to the container that goes elsewhere (teardown puts it back) */
    public record Request(MacvlanMode mode, Cidr shimIp, Scope scope, boolean replaceRoute) {
        public static final Request DEFAULT = new Request(MacvlanMode.BRIDGE, null, Scope.CONTAINER, false);
    }

    private final ProcessRunner runner;

    public Setup(ProcessRunner runner) {
        this.runner = runner;
    }

    /** One destination per family of the target: its address, or its Docker network's range of that family. */
    public static List<Cidr> routeTo(Target t, Scope scope) {
        List<Cidr> l = new ArrayList<>();
        for (Family f : t.families()) {
            if (scope == Scope.CONTAINER) {
                l.add(Cidr.host(t.containerIp(f)));
                continue;
            }
            if (t.docker() == null) {
                throw new UsageException("--route ip-range needs a Docker target (--container, or a lab built with "
                        + "--docker)");
            }
            DockerNetwork.Pool pool = t.docker().network().pool(f);
            if (pool == null || pool.ipRange() == null) {
                throw new UsageException("Docker network " + t.docker().network().name() + " has no " + f.label()
                        + " --ip-range: route the container alone (--route container); routing the whole subnet "
                        + "would take the LAN from the parent");
            }
            l.add(pool.ipRange().network());
        }
        return l;
    }

    /**
     * What routes a whole Docker network through the shim (setup --docker-network): each family's ip-range, or
     * each member's address when the network has none; members outside the range get their own route too.
     */
    public static List<Cidr> networkRoutes(DockerNetwork n, List<Target> members) {
        List<Cidr> l = new ArrayList<>();
        for (Family f : Family.values()) {
            DockerNetwork.Pool pool = n.pool(f);
            Cidr range = pool == null ? null : pool.ipRange();
            if (range != null && members.stream().anyMatch(t -> t.containerIp(f) != null)) {
                l.add(range.network());
            }
            for (Target t : members) {
                IpAddress a = t.containerIp(f);
                if (a != null && (range == null || !range.contains(a)) && !l.contains(Cidr.host(a))) {
                    l.add(Cidr.host(a));
                }
            }
        }
        return l;
    }

    /** Docker targets by their network, in the order found: setup --docker-network routes each network once. */
    public static Map<String, List<Target>> perNetwork(List<Target> targets) {
        Map<String, List<Target>> byNetwork = new LinkedHashMap<>();
        for (Target t : targets) {
            byNetwork.computeIfAbsent(t.docker().network().name(), k -> new ArrayList<>()).add(t);
        }
        return byNetwork;
    }

    public SetupPlanner.Plan plan(Target t, Request r) {
        return plan(t, r, routeTo(t, r.scope()));
    }

    public SetupPlanner.Plan plan(Target t, Request r, List<Cidr> routeTo) {
        Ip ip = new Ip(t.hostNs(), runner);
        List<String> names = new ArrayList<>();
        for (String dev : List.of(t.shimName(), "default")) {
            names.add(Sysctl.conf6(dev, "proxy_ndp"));
            names.add(Sysctl.conf6(dev, "forwarding"));
            names.add(Sysctl.neigh6(dev, "proxy_delay"));
        }
        boolean v6 = t.families().contains(Family.V6);
        Map<String, Integer> sysctls = v6 ? new Sysctls(t.hostNs()).read(names) : Map.of();
        int maxIndex = ip.links().stream().mapToInt(Link::index).max().orElse(0);
        SetupPlanner.Host host = new SetupPlanner.Host(ip.routes(), sysctls, v6 ? ip.proxies(Side.HOST) : List.of(),
                maxIndex);
        return SetupPlanner.plan(t, host, r.mode(), r.shimIp(), routeTo, r.replaceRoute());
    }

    /** Makes the plan's changes through the journal, in order; on a failure undoes them and rethrows. */
    public void apply(Journal journal, SetupPlanner.Plan plan, Consumer<Change> before) {
        journal.applyAll(plan.changes(), before);
    }
}
