package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.CONTAINER;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.FirewallRule;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Names every cause of a broken path that holds, from the kernel's facts, with the frames that show it, the exact
 * commands that fix it (namespace-aware, runnable as printed) and notes. One method per cause, as PathChecks has
 * one per check. Fixes are minimal: a security sysctl is changed only when it alone blocks the path; a route to a
 * live address that is not the target's is never touched. A failed run always carries a cause: `unexplained`
 * says where the frames show the path stops. Pure.
 */
public final class Diagnoser {
    private Diagnoser() {
    }

    /** What one family's run showed: its exchanges and checks. */
    public record FamilyRun(Family family, ProbeExchanges exchanges, List<CheckResult> checks) {
        boolean failed(CheckId.Kind k) {
            return checks.stream().anyMatch(c -> c.id().kind() == k && c.status() == CheckStatus.FAIL);
        }

        public boolean anyFailed() {
            return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL);
        }

        /** A check failed or could not be proven: the run is no pass. */
        public boolean notPassed() {
            return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL || c.status() == CheckStatus.UNPROVEN);
        }

        boolean hostFailed() {
            return failed(CheckId.Kind.HOST_ICMP);
        }

        boolean resolveFailed() {
            return failed(CheckId.Kind.CONTAINER_RESOLVES_HOST);
        }

        boolean containerFailed() {
            return resolveFailed() || failed(CheckId.Kind.CONTAINER_ICMP);
        }
    }

    /**
     * Everything the rules look at.
     *
     * @param otherContainers addresses of the other containers verified in the same run: a route to one of them is
     *     theirs, never a typo of this container's
     * @param answering addresses that answered an ARP request or solicitation sent through the shim during the run
     *     (the engine probes the candidates of {@link #typoCandidates}): live neighbours
     */
    public record Context(KernelFacts k, List<FamilyRun> runs, Set<IpAddress> otherContainers,
                          Set<IpAddress> answering, DockerNetwork network) {
        /** Without a Docker network (a namespace target, or a capture brought home). */
        public Context(KernelFacts k, List<FamilyRun> runs, Set<IpAddress> otherContainers, Set<IpAddress> answering) {
            this(k, runs, otherContainers, answering, null);
        }

        Netns ns() {
            return k.hostNs();
        }

        String parent() {
            return k.parent().name();
        }

        /** The shim's name; without one, the name a new one gets (the usual one unless it is taken). */
        String shim() {
            return k.shim() != null ? k.shim().name() : freeShimName(k);
        }
    }

    /** Diagnoses the failures of the runs; a run with no failed check has no cause. */
    public static List<Diagnosis> diagnose(Context c) {
        if (c.runs().stream().noneMatch(FamilyRun::notPassed)) {
            return List.of();
        }
        List<Diagnosis> out = new ArrayList<>();
        // The ends of the path first: with either of them down nothing else can be judged. They also explain a run
        // that could not be proven (an interface gone in the middle of it takes its capture point with it).
        containerDown(c, out);
        parentDown(c, out);
        if (!out.isEmpty() || c.runs().stream().noneMatch(FamilyRun::anyFailed)) {
            return out;
        }
        networkMode(c, out);
        if (!out.isEmpty()) {
            return out;
        }
        boolean shimMissing = shimParent(c, out) || noShim(c, out);
        if (!shimMissing) {
            shimMode(c, out);
            shimDown(c, out);
        }
        for (FamilyRun r : c.runs()) {
            if (!r.anyFailed()) {
                continue;
            }
            int before = out.size();
            if (!shimMissing && c.k().shim() != null && "bridge".equals(c.k().shim().macvlanMode())
                    && c.k().shim().adminUp()) {
                Cause routeCause = route(c, r, out);
                if (r.family() == Family.V4) {
                    arpIgnore(c, r, out);
                    arpFilter(c, r, routeCause, out);
                    rpFilter(c, r, routeCause, out);
                } else {
                    ndpProxy(c, r, out);
                }
            }
            hostFirewall(c, r, out);
            ipConflict(c, r, out);
            boolean explained = out.size() > before || out.stream().anyMatch(d -> d.family() == null);
            if (!explained) {
                out.add(unexplained(c, r));
            }
        }
        return out;
    }

    // ---- the ends of the path ----

    static void containerDown(Context c, List<Diagnosis> out) {
        Link i = c.k().containerIface();
        if (i != null && i.adminUp()) {
            return;
        }
        Netns cns = c.k().containerNs();
        String what = i == null ? "the container's interface is gone (the container stopped, or its namespace was "
                + "removed)" : i.name() + " in the container is down";
        List<String> fix = i == null || cns == null ? List.of() : List.of(cns.ip("link set " + i.name() + " up"));
        List<String> notes = new ArrayList<>();
        if (fix.isEmpty()) {
            notes.add("start the container again (docker start NAME)");
        } else {
            notes.add("routes through " + i.name() + " that the kernel dropped when it went down (a default route) "
                    + "come back only with the container's own network setup");
        }
        notes.add("the rest of the path was not judged: nothing reaches a container whose interface is down");
        out.add(new Diagnosis(Cause.CONTAINER_DOWN, null, what, List.of(i == null ? "no interface in "
                + (cns == null ? "the container" : cns.label()) : linkFact(i)), List.of(), fix, notes));
    }

    static void parentDown(Context c, List<Diagnosis> out) {
        Link p = c.k().parent();
        boolean admin = !p.adminUp();
        if (!admin && !p.carrierLost()) {
            return;
        }
        List<String> facts = new ArrayList<>(List.of(linkFact(p)));
        List<String> fix = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String why;
        Link lower = p.parentIndex() > 0 && !p.parentElsewhere() ? c.k().hostLink(p.parentIndex()) : null;
        if (admin) {
            why = "down";
            fix.add(c.ns().ip("link set " + p.name() + " up"));
        } else if ("LOWERLAYERDOWN".equals(p.operState()) && lower != null) {
            why = "up, but its lower device " + lower.name() + " is " + (lower.adminUp() ? "without carrier" : "down");
            facts.add(linkFact(lower));
            if (!lower.adminUp()) {
                fix.add(c.ns().ip("link set " + lower.name() + " up"));
            } else {
                notes.add("connect " + lower.name() + " (it has no carrier)");
            }
        } else {
            why = "up but has no carrier";
            notes.add("connect " + p.name() + " (cable, switch port, VM NIC), or choose an interface that has a carrier");
        }
        notes.add("the rest of the path was not judged: the shim and the container have no lower device to meet on");
        out.add(new Diagnosis(Cause.PARENT_DOWN, null, p.name() + " is " + why + ": its macvlan children (the "
                + "container and the shim) have no lower device to meet on", facts, List.of(), fix, notes));
    }

    static void networkMode(Context c, List<Diagnosis> out) {
        Link i = c.k().containerIface();
        if (i.macvlanMode() == null || "bridge".equals(i.macvlanMode())) {
            return;
        }
        out.add(new Diagnosis(Cause.NETWORK_MODE, null, "the container's " + i.name() + " is a macvlan in "
                + i.macvlanMode() + " mode: only bridge-mode children of one parent reach each other, whatever the "
                + "shim", List.of(linkFact(i)), unansweredAll(c), List.of(),
                List.of("Docker: recreate the network in bridge mode (the default): docker network create -d macvlan "
                        + "-o macvlan_mode=bridge -o parent=" + c.parent() + " ..., and reconnect the container",
                        "elsewhere: recreate the container's interface as a bridge-mode macvlan of " + c.parent())));
    }

    // ---- the shim ----

    /** Macvlans of the host namespace whose lower device is not the container's parent. */
    private static List<Link> macvlansElsewhere(KernelFacts k) {
        return k.hostLinks().stream().filter(l -> l.isMacvlan() && !l.parentElsewhere()
                && l.parentIndex() != k.parent().index()).toList();
    }

    /** A macvlan of another parent carries the route to the container: the shim is on the wrong parent. */
    static boolean shimParent(Context c, List<Diagnosis> out) {
        KernelFacts k = c.k();
        Map<String, Link> wrong = new LinkedHashMap<>();
        macvlansElsewhere(k).forEach(l -> wrong.put(l.name(), l));
        List<String> facts = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        Link carrier = null;
        for (Family f : k.families()) {
            RouteLookup r = k.hostToContainer().get(f);
            if (r != null && wrong.containsKey(r.dev())) {
                carrier = wrong.get(r.dev());
                facts.add(RouteLookup.describe(r, k.containerIp(f)));
            }
        }
        if (carrier == null) {
            return false;
        }
        Link lower = k.hostLink(carrier.parentIndex());
        facts.add(0, linkFact(carrier) + ", child of " + (lower == null ? "ifindex " + carrier.parentIndex()
                : lower.name()));
        String shim = k.shim() != null ? k.shim().name() : freeShimName(k);
        if (k.shim() == null) {
            fix.addAll(createShim(c.ns(), c.parent(), shim));
        } else if (!k.shim().adminUp()) {
            fix.add(c.ns().ip("link set " + shim + " up"));
        }
        for (Family f : k.families()) {
            fix.addAll(shimFix(c, f, shim, true, false));
        }
        out.add(new Diagnosis(Cause.SHIM_PARENT, null, "the route to the container goes through " + carrier.name()
                + ", a macvlan of " + (lower == null ? "another interface" : lower.name()) + ", not of the container's "
                + "parent " + c.parent() + ": macvlan children meet only on their own parent", facts,
                unansweredAll(c), fix, List.of("the route is moved to " + shim + " (ip route replace keeps it in "
                        + "place until then); " + carrier.name() + " is left as it is: it may serve containers on "
                        + (lower == null ? "its own parent" : lower.name()) + ", delete it if nothing uses it")));
        return true;
    }

    static boolean noShim(Context c, List<Diagnosis> out) {
        if (c.k().shim() != null) {
            return false;
        }
        String shim = c.shim();
        List<String> fix = new ArrayList<>(createShim(c.ns(), c.parent(), shim));
        for (Family f : c.k().families()) {
            fix.addAll(shimFix(c, f, shim, false, true));
        }
        List<String> notes = new ArrayList<>();
        if (!shim.equals(Target.DEFAULT_SHIM)) {
            notes.add(Target.DEFAULT_SHIM + " exists but is not a macvlan of " + c.parent() + ": the new shim is "
                    + "named " + shim);
        }
        out.add(new Diagnosis(Cause.NO_SHIM, null, "there is no macvlan on " + c.parent() + " in the host namespace: "
                + "the parent never receives frames from its macvlan children, so host and container cannot meet",
                List.of("no macvlan link on " + c.parent() + " in " + c.ns().label()), unansweredAll(c), fix, notes));
        return true;
    }

    static void shimMode(Context c, List<Diagnosis> out) {
        Link shim = c.k().shim();
        if ("bridge".equals(shim.macvlanMode())) {
            return;
        }
        String name = shim.name();
        List<String> fix = new ArrayList<>();
        fix.add(c.ns().ip("link del " + name));
        fix.addAll(createShim(c.ns(), c.parent(), name));
        // Deleting the shim drops every route through it, the other containers' too: all of them come back.
        List<Route> through = c.k().hostRoutes().stream().filter(r -> name.equals(r.dev()) && r.dst() != null
                && !"kernel".equals(r.protocol())).toList();
        Set<IpAddress> routed = new LinkedHashSet<>();
        for (Route r : through) {
            fix.add(c.ns().ip((r.family() == Family.V6 ? "-6 " : "") + "route add " + r.dst().destination() + " dev "
                    + name));
            if (r.dst().isHost()) {
                routed.add(r.dst().address());
            }
        }
        for (Family f : c.k().families()) {
            if (!routed.contains(c.k().containerIp(f))) {
                fix.addAll(routeFix(c, f, name, false));
            }
        }
        if (c.k().families().contains(Family.V6)) {
            // A new link has none of the old one's IPv6 settings or proxy entries.
            fix.addAll(ndpProxyFix(c, name, true));
            IpAddress host = c.k().hostIp(Family.V6);
            c.k().neighbours().stream().filter(n -> n.proxy() && name.equals(n.dev()) && !n.ip().equals(host))
                    .forEach(n -> fix.add(c.ns().ip("-6 neigh add proxy " + n.ip() + " dev " + name)));
        }
        out.add(new Diagnosis(Cause.SHIM_MODE, null, name + " is a macvlan in " + shim.macvlanMode() + " mode: only "
                + "bridge-mode children of one parent reach each other", List.of(linkFact(shim)), unansweredAll(c),
                fix, through.isEmpty() ? List.of("the mode cannot be changed in place: the shim is created again")
                        : List.of("the mode cannot be changed in place: the shim is created again, and the "
                                + through.size() + " route(s) through it with it")));
    }

    static void shimDown(Context c, List<Diagnosis> out) {
        Link shim = c.k().shim();
        if (shim.adminUp() || !"bridge".equals(shim.macvlanMode())) {
            return;
        }
        List<String> fix = new ArrayList<>(List.of(c.ns().ip("link set " + shim.name() + " up")));
        for (Family f : c.k().families()) {
            // A link that goes down loses its proxy entries as well (pneigh_ifdown); its sysctls stay.
            fix.addAll(shimFix(c, f, shim.name(), false, false));
        }
        out.add(new Diagnosis(Cause.SHIM_DOWN, null, shim.name() + " is down, and the kernel dropped the routes "
                + "through it", List.of(linkFact(shim)), unansweredAll(c), fix,
                List.of("routes to other containers through " + shim.name() + " went with it and are not known any "
                        + "more: add them again, or make the shim and its routes permanent (setup --persist)")));
    }

    // ---- the route from the host to the container ----

    /**
     * Host routes through the shim to a single address one typo away from the container's, that belong to no other
     * container of the run: they may be a mistyped route to the container, or a neighbour's own route. The engine
     * asks each of them through the shim before the diagnosis (see Context.answering).
     */
    public static List<IpAddress> typoCandidates(KernelFacts k, Set<IpAddress> otherContainers) {
        if (k.shim() == null) {
            return List.of();
        }
        List<IpAddress> l = new ArrayList<>();
        for (Family f : k.families()) {
            IpAddress ctr = k.containerIp(f);
            for (Route r : k.hostRoutes()) {
                if (k.shim().name().equals(r.dev()) && r.dst() != null && r.dst().isHost()
                        && !r.dst().address().equals(ctr) && !otherContainers.contains(r.dst().address())
                        && oneTypoAway(r.dst().address(), ctr)) {
                    l.add(r.dst().address());
                }
            }
        }
        return l;
    }

    /** no-route or route-mismatch for one family; returns the cause named, or null. */
    static Cause route(Context c, FamilyRun run, List<Diagnosis> out) {
        Family f = run.family();
        KernelFacts k = c.k();
        String shim = c.shim();
        IpAddress ctr = k.containerIp(f);
        RouteLookup get = k.hostToContainer().get(f);
        boolean viaShim = get != null && shim.equals(get.dev());
        if (viaShim || !(run.hostFailed() || run.containerFailed())) {
            return null;
        }
        String routeFact = RouteLookup.describe(get, ctr);
        List<Frame> ev = routeEvidence(run.exchanges());
        String where = get == null ? "nowhere" : get.dev();
        String seen = ev.isEmpty() ? "" : ": " + describeRouteFrames(ev, where, f);
        if (outsideRoutedRange(c, f, shim, routeFact, ev, where + seen, out)) {
            return Cause.IPAM_OVERLAP;
        }
        List<Route> candidates = k.hostRoutes().stream().filter(r -> shim.equals(r.dev()) && r.dst() != null
                && r.dst().isHost() && r.dst().family() == f && !c.otherContainers().contains(r.dst().address())
                && oneTypoAway(r.dst().address(), ctr)).toList();
        Route typo = candidates.stream().filter(r -> !c.answering().contains(r.dst().address())).findFirst()
                .orElse(null);
        List<Route> neighbours = candidates.stream().filter(r -> c.answering().contains(r.dst().address())).toList();
        String v6 = f == Family.V6 ? "-6 " : "";
        if (typo != null) {
            List<String> fix = new ArrayList<>();
            fix.add(c.ns().ip(v6 + "route del " + typo.describe()));
            fix.addAll(routeFix(c, f, shim, false));
            out.add(new Diagnosis(Cause.ROUTE_MISMATCH, f, "the route through " + shim + " names "
                    + typo.dst().address() + ", not the container's " + ctr + " (one digit apart: a typo, as in the "
                    + "article; nothing answers at " + typo.dst().address() + " through " + shim + "); " + ctr
                    + " goes through " + where + seen, List.of("route " + typo.describe(), routeFact), ev, fix,
                    List.of()));
            return Cause.ROUTE_MISMATCH;
        }
        List<String> facts = new ArrayList<>(List.of(routeFact));
        List<String> notes = new ArrayList<>();
        for (Route n : neighbours) {
            facts.add("route " + n.describe() + ": " + n.dst().address() + " answers through " + shim
                    + " (a live neighbour: its route is left alone)");
            notes.add("the route to " + n.dst().address() + " is that container's own, not a typo: it answered "
                    + "through " + shim);
        }
        out.add(new Diagnosis(Cause.NO_ROUTE, f, "no route to " + ctr + " through " + shim + ": the host sends to it "
                + "through " + where + seen, facts, ev, routeFix(c, f, shim, false), notes));
        return Cause.NO_ROUTE;
    }

    /**
     * The host routes its Docker network's ip-range through the shim, and the container's address lies outside it
     * (a static --ip, or a range changed later): the container is left to the parent.
     */
    static boolean outsideRoutedRange(Context c, Family f, String shim, String routeFact, List<Frame> ev,
                                      String goes, List<Diagnosis> out) {
        DockerNetwork.Pool pool = c.network() == null ? null : c.network().pool(f);
        IpAddress ctr = c.k().containerIp(f);
        if (pool == null || pool.ipRange() == null || pool.ipRange().contains(ctr)) {
            return false;
        }
        Cidr range = pool.ipRange().network();
        boolean routed = c.k().hostRoutes().stream().anyMatch(r -> shim.equals(r.dev()) && r.dst() != null
                && r.dst().equals(range));
        if (!routed) {
            return false;
        }
        out.add(new Diagnosis(Cause.IPAM_OVERLAP, f, ctr + " lies outside " + range + ", the ip-range of Docker "
                + "network " + c.network().name() + " that the host routes through " + shim + ": the container goes "
                + "through " + goes, List.of("route " + range + " dev " + shim, "docker network " + c.network().name()
                        + ": ip-range " + range + ", subnet " + pool.subnet(), routeFact), ev,
                routeFix(c, f, shim, false), List.of("containers given addresses outside the ip-range (docker run "
                        + "--ip) need a route of their own; or keep --ip inside the ip-range")));
        return true;
    }

    /**
     * The commands that route the container's address of a family through the shim: `add`, or `replace` when
     * another route to that very address exists (moved=true: always replace, the old one stays until then).
     * IPv6 also needs the proxy NDP recipe on the shim (see ndpProxyFix).
     */
    static List<String> routeFix(Context c, Family f, String shim, boolean moved) {
        KernelFacts k = c.k();
        IpAddress ctr = k.containerIp(f);
        boolean exists = moved || k.hostRoutes().stream().anyMatch(r -> r.isHostRouteTo(ctr));
        String v6 = f == Family.V6 ? "-6 " : "";
        List<String> l = new ArrayList<>();
        l.add(c.ns().ip(v6 + "route " + (exists ? "replace " : "add ") + ctr + " dev " + shim));
        return l;
    }

    /**
     * The route and, for IPv6, the proxy NDP a shim needs: all of it for a shim that is new or made again (a new
     * link has none of its sysctls or proxy entries), what is missing for one that exists.
     */
    static List<String> shimFix(Context c, Family f, String shim, boolean moved, boolean fresh) {
        List<String> l = new ArrayList<>(routeFix(c, f, shim, moved));
        if (f == Family.V6) {
            l.addAll(ndpProxyFix(c, shim, fresh));
        }
        return l;
    }

    // ---- how the host treats the container's frames arriving on the shim (IPv4) ----

    /** arp_ignore values that stop the shim's flux: 1 and 2 (address on the receiving interface), 8 (never). */
    static boolean arpIgnoreBlocks(int v) {
        return v == 1 || v == 2 || v == 8;
    }

    static void arpIgnore(Context c, FamilyRun run, List<Diagnosis> out) {
        KernelFacts k = c.k();
        String shim = c.shim();
        int eff = k.effectiveMax(shim, "arp_ignore");
        IpAddress host = k.hostIp(Family.V4);
        if (!run.resolveFailed() || !arpIgnoreBlocks(eff) || k.shim().hasAddress(host)) {
            return;
        }
        String src = k.source(shim, "arp_ignore");
        int all = k.conf4("all", "arp_ignore");
        List<String> fix = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (arpIgnoreBlocks(all)) {
            // The kernel uses the larger of all and the interface's own value: only lowering all unblocks the shim.
            // Every other interface gets the old value of its own first, so that none of them answers differently
            // even for a moment (loopback does no ARP).
            for (Link l : k.hostLinks()) {
                if (!l.name().equals(shim) && !l.name().equals("lo") && k.conf4(l.name(), "arp_ignore") < all) {
                    fix.add(c.ns().sysctl(Sysctl.conf4(l.name(), "arp_ignore"), all));
                }
            }
            fix.add(c.ns().sysctl(Sysctl.conf4("all", "arp_ignore"), 0));
            notes.add("only net.ipv4.conf.all.arp_ignore can unblock the shim (the kernel uses the larger of all and "
                    + "the interface's value); every other interface keeps arp_ignore=" + all + " through its own "
                    + "setting. Interfaces created later get net.ipv4.conf.default.arp_ignore: set them one by one");
        }
        if (arpIgnoreBlocks(k.conf4(shim, "arp_ignore"))) {
            fix.add(c.ns().sysctl(Sysctl.conf4(shim, "arp_ignore"), 0));
        }
        notes.add("alternatively give the shim an address of its own (setup --shim-ip) and have the containers talk "
                + "to that address");
        out.add(new Diagnosis(Cause.ARP_IGNORE, Family.V4, src + ": the host answers ARP only for addresses on the "
                + "receiving interface, and " + shim + " has none, so the container's who-has " + host
                + " goes unanswered", List.of(src + " (effective on " + shim + ": " + eff + ")", shim
                        + " has no IPv4 address"), arrivedUnanswered(run.exchanges().containerResolve()), fix, notes));
    }

    static void arpFilter(Context c, FamilyRun run, Cause routeCause, List<Diagnosis> out) {
        KernelFacts k = c.k();
        String shim = c.shim();
        if (!run.resolveFailed() || routeCause == null || !k.effectiveOr(shim, "arp_filter")) {
            return;
        }
        String src = k.conf4(shim, "arp_filter") != 0 ? Sysctl.conf4(shim, "arp_filter") + "=1"
                : Sysctl.conf4("all", "arp_filter") + "=1";
        RouteLookup get = k.hostToContainer().get(Family.V4);
        out.add(new Diagnosis(Cause.ARP_FILTER, Family.V4, src + ": the host answers ARP on " + shim + " only if its "
                + "route back to the asker (" + k.containerIp(Family.V4) + ") leaves through " + shim + "; it leaves "
                + "through " + (get == null ? "no interface" : get.dev()), List.of(src, RouteLookup.describe(get,
                        k.containerIp(Family.V4))), arrivedUnanswered(run.exchanges().containerResolve()), List.of(),
                List.of("cured by the fix of " + routeCause.code() + ": with the container routed through " + shim
                        + " arp_filter answers there, and it stays on"), routeCause));
    }

    static void rpFilter(Context c, FamilyRun run, Cause routeCause, List<Diagnosis> out) {
        KernelFacts k = c.k();
        String shim = c.shim();
        if (!run.containerFailed() || routeCause == null || k.effectiveMax(shim, "rp_filter") != 1) {
            return;
        }
        String src = k.source(shim, "rp_filter");
        IpAddress ctr = k.containerIp(Family.V4);
        RouteLookup get = k.hostToContainer().get(Family.V4);
        out.add(new Diagnosis(Cause.RP_FILTER, Family.V4, src + " (strict reverse-path filter): packets from " + ctr
                + " arriving on " + shim + " are dropped, because the route back to " + ctr + " leaves through "
                + (get == null ? "no interface" : get.dev()), List.of(src, RouteLookup.describe(get, ctr)),
                arrivedUnanswered(run.exchanges().containerResolve()), List.of(),
                List.of("cured by the fix of " + routeCause.code() + ": with the container routed through " + shim
                        + " the reverse path matches, and rp_filter stays strict (loosening it would weaken "
                        + "anti-spoofing on every interface for no gain)"), routeCause));
    }

    // ---- IPv6: proxy NDP on the shim ----

    /**
     * The recipe that makes the shim answer solicitations for the host's address: proxy_ndp and forwarding on the
     * shim (per interface: the kernel proxies only on forwarding interfaces), a proxy entry for the host's address,
     * proxy_delay 0 (else each proxied answer waits up to 0.8 s). Only what is missing, unless all is asked.
     */
    static List<String> ndpProxyFix(Context c, String shim, boolean all) {
        KernelFacts k = c.k();
        List<String> l = new ArrayList<>();
        boolean fresh = all || k.shim() == null || !k.shim().name().equals(shim);
        if (fresh || k.sysctl(Sysctl.conf6(shim, "proxy_ndp")) == 0 && k.sysctl(Sysctl.conf6("all", "proxy_ndp")) == 0) {
            l.add(c.ns().sysctl(Sysctl.conf6(shim, "proxy_ndp"), 1));
        }
        if (fresh || k.sysctl(Sysctl.conf6(shim, "forwarding")) == 0) {
            l.add(c.ns().sysctl(Sysctl.conf6(shim, "forwarding"), 1));
        }
        if (fresh || k.sysctl(Sysctl.neigh6(shim, "proxy_delay")) != 0) {
            l.add(c.ns().sysctl(Sysctl.neigh6(shim, "proxy_delay"), 0));
        }
        IpAddress host = k.hostIp(Family.V6);
        if (host != null && (fresh || !hasProxy(k, host, shim))) {
            l.add(c.ns().ip("-6 neigh add proxy " + host + " dev " + shim));
        }
        return l;
    }

    private static boolean hasProxy(KernelFacts k, IpAddress ip, String dev) {
        return k.neighbours().stream().anyMatch(n -> n.proxy() && n.ip().equals(ip) && dev.equals(n.dev()));
    }

    static void ndpProxy(Context c, FamilyRun run, List<Diagnosis> out) {
        KernelFacts k = c.k();
        String shim = c.shim();
        IpAddress host = k.hostIp(Family.V6);
        if (!run.resolveFailed() || host == null) {
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        int proxyNdp = Math.max(k.sysctl(Sysctl.conf6(shim, "proxy_ndp")), k.sysctl(Sysctl.conf6("all", "proxy_ndp")));
        int fwd = k.sysctl(Sysctl.conf6(shim, "forwarding"));
        facts.add(Sysctl.conf6(shim, "proxy_ndp") + "=" + k.sysctl(Sysctl.conf6(shim, "proxy_ndp")) + " (all="
                + k.sysctl(Sysctl.conf6("all", "proxy_ndp")) + ")");
        facts.add(Sysctl.conf6(shim, "forwarding") + "=" + fwd);
        facts.add(hasProxy(k, host, shim) ? "proxy entry " + host + " dev " + shim : "no proxy entry for " + host
                + " on " + shim);
        if (proxyNdp == 0) {
            missing.add("proxy_ndp on " + shim);
        }
        if (fwd == 0) {
            missing.add("forwarding on " + shim + " (the kernel proxies only on forwarding interfaces)");
        }
        if (!hasProxy(k, host, shim)) {
            missing.add("a proxy entry for " + host);
        }
        if (missing.isEmpty()) {
            return;
        }
        out.add(new Diagnosis(Cause.NDP_PROXY, Family.V6, "IPv6 has no ARP flux: the kernel answers a solicitation "
                + "only for addresses on the receiving interface, so " + shim + " answers for the host's " + host
                + " only through proxy NDP; missing: " + String.join(", ", missing), facts,
                arrivedUnanswered(run.exchanges().containerResolve()), ndpProxyFix(c, shim, false),
                List.of("proxied answers wait up to net.ipv6.neigh." + shim + ".proxy_delay (0.8 s by default): it "
                        + "is set to 0 on the shim; forwarding on the shim alone does not forward between other "
                        + "interfaces (all.forwarding stays as it is) and stops it accepting router advertisements, "
                        + "which the shim does not need")));
    }

    // ---- netfilter and ICMP settings ----

    static void hostFirewall(Context c, FamilyRun run, List<Diagnosis> out) {
        KernelFacts k = c.k();
        Family f = run.family();
        List<String> facts = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        String ignore = f == Family.V4 ? "net.ipv4.icmp_echo_ignore_all" : "net.ipv6.icmp.echo_ignore_all";
        Exchange ce = run.exchanges().containerEcho();
        Exchange he = run.exchanges().hostEcho();
        boolean ctrEchoUnanswered = run.failed(CheckId.Kind.CONTAINER_ICMP) && ce != null && ce.replies().isEmpty();
        boolean hostEchoUnanswered = run.hostFailed() && he != null && he.replies().isEmpty();
        if (ctrEchoUnanswered && k.sysctl(ignore) != 0) {
            facts.add(ignore + "=" + k.sysctl(ignore) + " (host)");
            fix.add(c.ns().sysctl(ignore, 0));
        }
        if (hostEchoUnanswered && k.containerSysctls().getOrDefault(ignore, 0) != 0 && k.containerNs() != null) {
            facts.add(ignore + "=" + k.containerSysctls().get(ignore) + " (container)");
            fix.add(k.containerNs().sysctl(ignore, 0));
        }
        List<FirewallRule> rules = new ArrayList<>(FirewallEval.dropping(k.firewall(), "host",
                probePackets(k, f, c.shim(), true)));
        if (k.containerIface() != null) {
            rules.addAll(FirewallEval.dropping(k.firewall(), "container", probePackets(k, f,
                    k.containerIface().name(), false)));
        }
        Set<String> fixed = new LinkedHashSet<>();
        for (FirewallRule r : rules) {
            facts.add(r.side() + ": " + r.tool() + " table " + r.table() + ", chain " + r.chain() + ": " + r.rule()
                    + " (drops " + r.packet() + ")");
            Netns ns = "container".equals(r.side()) ? k.containerNs() : c.ns();
            if (ns != null) {
                String cmd = firewallFix(ns, r, c, f);
                if (fixed.add(cmd)) {
                    fix.add(cmd);
                }
            }
        }
        if (facts.isEmpty()) {
            return;
        }
        List<String> notes = new ArrayList<>();
        if (!rules.isEmpty()) {
            notes.add("the fix accepts the traffic between the host and the container on their macvlan interfaces "
                    + "right before the dropping rule (or before the policy); the rule itself stays. Delete the rule "
                    + "instead if it was not meant for this traffic");
        }
        List<Frame> ev = new ArrayList<>();
        if (ctrEchoUnanswered) {
            ce.requests().stream().filter(x -> x.point().role() == SHIM).forEach(ev::add);
        }
        if (hostEchoUnanswered) {
            he.requests().stream().filter(x -> x.point().role() == CONTAINER).forEach(ev::add);
        }
        String where = ev.isEmpty() ? "" : "; the probe arrived (" + PathChecks.seen(ev) + ") and was never answered";
        String what = rules.isEmpty() ? "echo requests are ignored (" + ignore + ")"
                : (rules.size() == 1 ? "a netfilter rule drops " : rules.size() + " netfilter rules drop ")
                        + rules.stream().map(FirewallRule::packet).distinct().collect(Collectors.joining(", "))
                        + (facts.size() > rules.size() ? ", and echo requests are ignored (" + ignore + ")" : "");
        out.add(new Diagnosis(Cause.HOST_FIREWALL, f, what + where, facts, ev, fix, notes));
    }

    /**
     * The probe's packets as netfilter sees them on one side: the echoes both ways (requests new, replies
     * established) and, for IPv6, the neighbour discovery that conntrack leaves untracked.
     */
    static List<FirewallEval.Packet> probePackets(KernelFacts k, Family f, String iface, boolean host) {
        IpAddress ctr = k.containerIp(f);
        IpAddress hostIp = k.hostIp(f);
        if (ctr == null || hostIp == null) {
            return List.of();
        }
        int req = f == Family.V4 ? 8 : 128;
        int rep = f == Family.V4 ? 0 : 129;
        IpAddress self = host ? hostIp : ctr;
        IpAddress peer = host ? ctr : hostIp;
        String me = host ? "the host's" : "the container's";
        String them = host ? "the container's" : "the host's";
        List<FirewallEval.Packet> l = new ArrayList<>(List.of(
                new FirewallEval.Packet(f, true, iface, peer, self, req, "NEW", them + " echo request"),
                new FirewallEval.Packet(f, true, iface, peer, self, rep, "ESTABLISHED", them + " echo reply"),
                new FirewallEval.Packet(f, false, iface, self, peer, req, "NEW", me + " echo request"),
                new FirewallEval.Packet(f, false, iface, self, peer, rep, "ESTABLISHED", me + " echo reply")));
        if (f == Family.V6) {
            l.add(new FirewallEval.Packet(f, true, iface, peer, self, host ? 135 : 136, "UNTRACKED",
                    them + (host ? " neighbour solicitation" : " neighbour advertisement")));
            l.add(new FirewallEval.Packet(f, false, iface, self, peer, host ? 136 : 135, "UNTRACKED",
                    me + (host ? " neighbour advertisement" : " neighbour solicitation")));
        }
        return l;
    }

    /**
     * An accept rule for the traffic between the host and the container on this side's macvlan, right before the
     * dropping rule (or, for a drop policy, at the end of the chain, which comes before the policy).
     */
    static String firewallFix(Netns ns, FirewallRule r, Context c, Family f) {
        boolean inContainer = "container".equals(r.side());
        IpAddress peer = inContainer ? c.k().hostIp(f) : c.k().containerIp(f);
        String iface = inContainer ? c.k().containerIface().name() : c.shim();
        String prefix = switch (ns.kind()) {
            case CURRENT -> "";
            case NAMED -> "ip netns exec " + ns.ref() + " ";
            case PATH -> "nsenter --net=" + ns.ref() + " ";
        };
        if (r.tool().equals("nft")) {
            String[] t = r.table().split(" ", 2);
            String match = (r.inbound() ? "iifname " : "oifname ") + iface + " " + (f == Family.V4 ? "ip" : "ip6")
                    + (r.inbound() ? " saddr " : " daddr ") + peer + " accept";
            return prefix + "nft " + (r.isPolicy() ? "add rule " + t[0] + " " + t[1] + " " + r.chain() + " "
                    : "insert rule " + t[0] + " " + t[1] + " " + r.chain() + " position " + r.position() + " ") + match;
        }
        String match = (r.inbound() ? "-i " : "-o ") + iface + (r.inbound() ? " -s " : " -d ") + peer + " -j ACCEPT";
        return prefix + r.tool() + " -t " + r.table() + (r.isPolicy() ? " -A " + r.chain() + " "
                : " -I " + r.chain() + " " + r.position() + " ") + match;
    }

    // ---- another device with the same address ----

    static void ipConflict(Context c, FamilyRun run, List<Diagnosis> out) {
        Exchange cr = run.exchanges().containerResolve();
        long ctrMac = c.k().containerIface() == null ? 0 : c.k().containerIface().macBits();
        long shimMac = c.k().shim() == null ? 0 : c.k().shim().macBits();
        for (Exchange e : new Exchange[] {run.exchanges().hostAsk(), run.exchanges().hostResolve()}) {
            if (conflict(c, run, e, ctrMac, "the container's", out)) {
                break;
            }
        }
        Exchange ck = run.exchanges().containerKernelResolve(addressing(c, run.family()));
        for (Exchange e : new Exchange[] {cr, ck}) {
            if (conflict(c, run, e, shimMac, "the host's", out)) {
                break;
            }
        }
    }

    private static boolean conflict(Context c, FamilyRun run, Exchange e, long expected, String whose,
                                    List<Diagnosis> out) {
        if (e == null) {
            return false;
        }
        Map<Long, List<Frame>> byMac = new LinkedHashMap<>();
        for (Frame r : e.replies()) {
            long mac = r.senderMac() != 0 ? r.senderMac() : r.srcMac();
            byMac.computeIfAbsent(mac, x -> new ArrayList<>()).add(r);
        }
        if (byMac.size() < 2) {
            return false;
        }
        List<Frame> ev = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        for (Map.Entry<Long, List<Frame>> m : byMac.entrySet()) {
            // Each answer as the asker received it (shim ingress) when it was seen there.
            ev.add(m.getValue().stream().filter(x -> x.seenAt(SHIM, IN)).findFirst().orElse(m.getValue().get(0)));
            facts.add(e.responder() + " is-at " + Mac.format(m.getKey()) + (m.getKey() == expected ? " (expected)" : "")
                    + ", seen " + PathChecks.seen(m.getValue()));
        }
        out.add(new Diagnosis(Cause.IP_CONFLICT, run.family(), "two devices answer for " + whose + " address "
                + e.responder() + ": " + byMac.keySet().stream().map(Mac::format).collect(Collectors.joining(" and "))
                + "; the neighbour entry can flip to the other device at any time", facts, ev, List.of(),
                List.of("the fix is off the host: give the other device another address, exclude " + e.responder()
                        + " from the DHCP pool, or keep Docker's addresses out of it (docker network create "
                        + "--ip-range to a part of the subnet the DHCP server does not hand out, --aux-address to "
                        + "reserve single addresses)")));
        return true;
    }

    private static io.macvlandoctor.model.Topology.Addressing addressing(Context c, Family f) {
        return new io.macvlandoctor.model.Topology.Addressing(f, c.k().containerIp(f), c.k().hostIp(f), null, null);
    }

    // ---- nothing matched ----

    /** Where the frames show the path stops: the last point each failed probe was seen, and what was expected next. */
    static Diagnosis unexplained(Context c, FamilyRun run) {
        List<String> facts = new ArrayList<>();
        facts.add(linkFact(c.k().parent()));
        facts.add(c.k().shim() == null ? "no shim" : linkFact(c.k().shim()));
        facts.add(RouteLookup.describe(c.k().hostToContainer().get(run.family()), c.k().containerIp(run.family())));
        return unexplained(run, facts);
    }

    /** unexplained, with whatever facts are known (none offline without facts). */
    static Diagnosis unexplained(FamilyRun run, List<String> facts) {
        List<String> stops = new ArrayList<>();
        List<Frame> ev = new ArrayList<>();
        ProbeExchanges p = run.exchanges();
        String resolve = run.family() == Family.V4 ? "ARP request" : "solicitation";
        String[][] labels = {{"the host's echo", "the container's reply"},
            {"the container's " + resolve, "the shim's answer"}, {"the container's echo", "the host's reply"}};
        Exchange[] probes = {p.hostEcho(), p.containerResolve(), p.containerEcho()};
        for (int i = 0; i < probes.length; i++) {
            Exchange e = probes[i];
            if (e == null || e.requests().isEmpty()) {
                continue;
            }
            List<Frame> all = PathChecks.concat(e.requests(), e.replies());
            Frame last = all.stream().max((x, y) -> Long.compare(x.timeNs(), y.timeNs())).orElseThrow();
            if (e.replies().isEmpty()) {
                ev.add(last);
                stops.add(labels[i][0] + " was last seen at " + PathChecks.place(last) + "; expected next: "
                        + labels[i][1]);
            } else if (run.checks().stream().anyMatch(x -> x.status() == CheckStatus.FAIL
                    && x.evidence().contains(last))) {
                ev.add(last);
                stops.add("the answer to " + labels[i][0] + " was last seen at " + PathChecks.place(last)
                        + " and went no further");
            }
        }
        String failed = run.checks().stream().filter(x -> x.status() == CheckStatus.FAIL).map(x -> x.id().id())
                .collect(Collectors.joining(", "));
        return new Diagnosis(Cause.UNEXPLAINED, run.family(), "no known cause explains the failure of " + failed
                + (stops.isEmpty() ? "" : ": " + String.join("; ", stops)), facts, ev, List.of(),
                List.of("the facts read are listed under facts; `macvlan-doctor facts --output FILE` and the pcapng "
                        + "export (--pcapng FILE) hold everything for a closer look"));
    }

    // ---- helpers ----

    /** The name for a new shim: the usual one unless a link of that name exists already. */
    static String freeShimName(KernelFacts k) {
        String name = Target.DEFAULT_SHIM;
        for (int i = 1; k.hostLink(name) != null; i++) {
            name = "macvlan" + i + "-host";
        }
        return name;
    }

    static List<String> createShim(Netns ns, String parent, String shim) {
        return List.of(ns.ip("link add link " + parent + " name " + shim + " type macvlan mode bridge"),
                ns.ip("link set " + shim + " up"));
    }

    /**
     * Two addresses of one family that differ by one edit in one group: a digit changed, added or dropped (.140
     * for .240, .24 for .240; 2001:db8::f0 for 2001:db8::f1).
     */
    static boolean oneTypoAway(IpAddress a, IpAddress b) {
        if (a == null || b == null || a.family() != b.family()) {
            return false;
        }
        String sep = a.family() == Family.V4 ? "\\." : ":";
        String[] x = expand(a).split(sep, -1);
        String[] y = expand(b).split(sep, -1);
        if (x.length != y.length) {
            return false;
        }
        int differing = 0;
        for (int i = 0; i < x.length; i++) {
            if (!x[i].equals(y[i])) {
                differing++;
                if (differing > 1 || editDistance(x[i], y[i]) != 1) {
                    return false;
                }
            }
        }
        return differing == 1;
    }

    /** IPv4 as written; IPv6 with all eight groups (no "::"), without leading zeros. */
    private static String expand(IpAddress a) {
        if (a.family() == Family.V4) {
            return a.toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            long g = (k < 4 ? a.hi() >>> (48 - 16 * k) : a.lo() >>> (48 - 16 * (k - 4))) & 0xffff;
            sb.append(k == 0 ? "" : ":").append(Long.toHexString(g));
        }
        return sb.toString();
    }

    private static int editDistance(String s, String t) {
        int[] prev = new int[t.length() + 1];
        int[] cur = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= t.length(); j++) {
                int sub = prev[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[t.length()];
    }

    /**
     * Frames that show the host sending towards the container through the parent instead of the shim: its own
     * (the kernel's) resolution and echo leaving the parent. Our request from the shim leaves through the parent too
     * (a broadcast goes to the wire), so it is no evidence of the route.
     */
    private static List<Frame> routeEvidence(ProbeExchanges p) {
        List<Frame> l = new ArrayList<>();
        Predicate<Frame> leftViaParent = f -> f.seenAt(PARENT, OUT) || f.seenAt(WIRE, IN);
        for (Exchange e : new Exchange[] {p.hostResolve(), p.hostEcho()}) {
            if (e != null) {
                e.requests().stream().filter(leftViaParent).forEach(l::add);
            }
        }
        if (p.containerEcho() != null) {
            p.containerEcho().replies().stream().filter(leftViaParent).forEach(l::add);
            // The container's echo reached the host through the shim and got no answer back that way.
            if (p.containerEcho().replies().isEmpty()) {
                p.containerEcho().requests().stream().filter(f -> f.seenAt(SHIM, IN)).forEach(l::add);
            }
        }
        return l;
    }

    private static String describeRouteFrames(List<Frame> ev, String where, Family f) {
        Frame first = ev.get(0);
        boolean wire = ev.stream().anyMatch(x -> x.seenAt(WIRE, IN));
        if (first.seenAt(SHIM, IN)) {
            return "the container's echo request arrived through the shim and no reply went back that way";
        }
        String what = first.kind().isResolution() ? (f == Family.V4 ? "ARP request" : "neighbour solicitation")
                + " for the container" : first.summary();
        return "its " + what + " left through " + where + " (egress on the parent" + (wire ? ", seen on the wire" : "")
                + ") instead of the shim";
    }

    /** Requests of every family's probes that got no answer, wherever they were seen. */
    private static List<Frame> unansweredAll(Context c) {
        List<Frame> l = new ArrayList<>();
        for (FamilyRun r : c.runs()) {
            for (Exchange e : new Exchange[] {r.exchanges().containerResolve(), r.exchanges().hostResolve()}) {
                if (e != null && e.replies().isEmpty()) {
                    l.addAll(e.requests());
                }
            }
        }
        return l;
    }

    /** The container's request as it reached the host (shim ingress), when nothing answered it. */
    private static List<Frame> arrivedUnanswered(Exchange e) {
        if (e == null || !e.replies().isEmpty()) {
            return List.of();
        }
        return e.requests().stream().filter(f -> f.seenAt(SHIM, IN)).toList();
    }

    static String linkFact(Link l) {
        return l.name() + ": " + (l.adminUp() ? "up" : "down") + ", operstate " + l.operState()
                + (l.macvlanMode() == null ? "" : ", macvlan " + l.macvlanMode());
    }
}
