package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Names the causes of a broken path (DESIGN §4 cause codes) from the kernel's facts, with the frames that show
 * them and the exact commands that fix them. Several causes can hold at once; a healthy path has none, and no
 * cause is named without a failed check it explains. Pure.
 */
public final class Diagnoser {
    public static final String NO_SHIM = "no-shim";
    public static final String SHIM_DOWN = "shim-down";
    public static final String SHIM_MODE = "shim-mode";
    public static final String NO_ROUTE = "no-route";
    public static final String ROUTE_MISMATCH = "route-mismatch";
    public static final String ARP_IGNORE = "arp-ignore";
    public static final String ARP_FILTER = "arp-filter";
    public static final String RP_FILTER = "rp-filter";
    public static final String PARENT_DOWN = "parent-down";
    public static final String CONTAINER_DOWN = "container-down";
    /** The container's own macvlan is not in bridge mode (for Docker: the network's macvlan_mode). */
    public static final String NETWORK_MODE = "network-mode";
    /** Docker-level causes found before anything can be probed (see docker.Docker). */
    public static final String NOT_MACVLAN = "not-macvlan";
    public static final String NETWORK_PARENT = "network-parent";

    public static final List<String> CAUSES = List.of(NO_SHIM, SHIM_DOWN, SHIM_MODE, NO_ROUTE, ROUTE_MISMATCH,
            ARP_IGNORE, ARP_FILTER, RP_FILTER, PARENT_DOWN, CONTAINER_DOWN, NETWORK_MODE, NOT_MACVLAN, NETWORK_PARENT);

    private Diagnoser() {
    }

    public static List<Diagnosis> diagnose(HostFacts h, ProbeExchanges p, List<CheckResult> checks) {
        return diagnose(h, p, checks, Set.of());
    }

    /**
     * @param otherContainers addresses of the other containers on the parent (verified in the same run): a route
     *     to one of them is theirs, not a typo of this container's
     */
    public static List<Diagnosis> diagnose(HostFacts h, ProbeExchanges p, List<CheckResult> checks,
                                           Set<Integer> otherContainers) {
        Map<String, CheckStatus> st = checks.stream()
                .collect(Collectors.toMap(CheckResult::id, CheckResult::status, (a, b) -> b));
        if (checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL)) {
            return List.of();
        }
        boolean hostFailed = st.get(PathChecks.HOST_ICMP) == CheckStatus.FAIL;
        boolean fluxFailed = st.get(PathChecks.CONTAINER_ARP_FLUX) == CheckStatus.FAIL;
        boolean ctrFailed = fluxFailed || st.get(PathChecks.CONTAINER_ICMP) == CheckStatus.FAIL;
        Netns ns = h.hostNs();
        String ctr = Ipv4.format(h.containerIp());
        String host = Ipv4.format(h.hostIp());
        String parent = h.parent().name();
        String shimName = h.shim() == null ? "macvlan0-host" : h.shim().name();
        List<Diagnosis> out = new ArrayList<>();

        // The ends of the path first: with either of them down nothing else can be judged.
        Link c = h.containerIface();
        if (c == null || !c.adminUp()) {
            String what = c == null ? "the container's interface is gone (the container stopped, or its namespace "
                    + "was removed)" : c.name() + " in the container is down";
            out.add(new Diagnosis(CONTAINER_DOWN, what, List.of(c == null ? "no interface in "
                    + (h.containerNs() == null ? "the container" : h.containerNs().label()) : linkFact(c)), List.of(),
                    c == null || h.containerNs() == null ? List.of("start the container again")
                            : List.of(h.containerNs().ip("link set " + c.name() + " up"))));
        }
        if (!h.parent().adminUp() || "DOWN".equals(h.parent().operState())) {
            boolean admin = !h.parent().adminUp();
            out.add(new Diagnosis(PARENT_DOWN, parent + " is " + (admin ? "down" : "up but has no carrier")
                    + ": its macvlan children (the container and the shim) have no lower device to meet on",
                    List.of(linkFact(h.parent())), List.of(),
                    admin ? List.of(ns.ip("link set " + parent + " up"))
                            : List.of("connect " + parent + " (it has no carrier), or choose an interface that has one")));
        }
        if (!out.isEmpty()) {
            return out;
        }

        // The shim: there, in bridge mode, up.
        List<String> createShim = List.of(
                ns.ip("link add link " + parent + " name " + shimName + " type macvlan mode bridge"),
                ns.ip("link set " + shimName + " up"),
                ns.ip("route add " + ctr + " dev " + shimName));
        if (h.shim() == null) {
            out.add(new Diagnosis(NO_SHIM, "there is no macvlan on " + parent + " in the host namespace: the parent "
                    + "never receives frames from its macvlan children, so host and container cannot meet",
                    List.of("no macvlan link on " + parent + " in " + ns.label()),
                    unanswered(p.containerArp(), p.hostArp()), createShim));
            return out;
        }
        Link shim = h.shim();
        if (!"bridge".equals(shim.macvlanMode())) {
            List<String> fix = new ArrayList<>();
            fix.add(ns.ip("link del " + shimName));
            fix.addAll(createShim);
            out.add(new Diagnosis(SHIM_MODE, shimName + " is a macvlan in " + shim.macvlanMode() + " mode: only "
                    + "bridge-mode children of one parent reach each other", List.of(linkFact(shim)),
                    unanswered(p.containerArp(), p.hostArp()), fix));
            return out;
        }
        if (c.macvlanMode() != null && !"bridge".equals(c.macvlanMode())) {
            out.add(new Diagnosis(NETWORK_MODE, "the container's " + c.name() + " is a macvlan in " + c.macvlanMode()
                    + " mode: only bridge-mode children of one parent reach each other, whatever the shim"
                    + " (Docker: the network's -o macvlan_mode)", List.of(linkFact(c)),
                    unanswered(p.containerArp(), p.hostArp()),
                    List.of("docker network create -d macvlan -o macvlan_mode=bridge -o parent=" + parent
                            + " ... (recreate the network in bridge mode, the default, and reconnect the container)")));
            return out;
        }
        if (!shim.adminUp()) {
            out.add(new Diagnosis(SHIM_DOWN, shimName + " is down, and the kernel dropped the routes through it",
                    List.of(linkFact(shim)), unanswered(p.containerArp(), p.hostArp()),
                    List.of(ns.ip("link set " + shimName + " up"), ns.ip("route add " + ctr + " dev " + shimName))));
            return out;
        }

        // The route from the host to the container.
        boolean viaShim = h.hostToContainer() != null && shimName.equals(h.hostToContainer().dev());
        String routeFact = h.hostToContainer() == null ? "ip route get " + ctr + ": unreachable"
                : "ip route get " + ctr + ": dev " + h.hostToContainer().dev() + " src " + h.hostToContainer().prefsrc();
        if (!viaShim && (hostFailed || ctrFailed)) {
            Route typo = h.hostRoutes().stream().filter(r -> shimName.equals(r.dev()) && r.dst() != null
                    && r.dst().prefix() == 32 && !otherContainers.contains(r.dst().address())
                    && oneTypoAway(r.dst().ip(), ctr)).findFirst().orElse(null);
            List<Frame> ev = routeEvidence(p, h);
            String where = h.hostToContainer() == null ? "nowhere" : h.hostToContainer().dev();
            String seen = ev.isEmpty() ? "" : ": " + describeRouteFrames(ev, where);
            if (typo != null) {
                out.add(new Diagnosis(ROUTE_MISMATCH, "the route through " + shimName + " names " + typo.dst().ip()
                        + ", not the container's " + ctr + " (one digit apart: a typo, as in the article); "
                        + ctr + " goes through " + where + seen,
                        List.of("route " + typo.describe(), routeFact), ev,
                        List.of(ns.ip("route del " + typo.describe()), ns.ip("route add " + ctr + " dev " + shimName))));
            } else {
                out.add(new Diagnosis(NO_ROUTE, "no route to " + ctr + " through " + shimName + ": the host sends "
                        + "to it through " + where + seen, List.of(routeFact),
                        ev, List.of(ns.ip("route add " + ctr + " dev " + shimName))));
            }
        }

        // How the host treats the container's frames arriving on the shim.
        List<Frame> atShim = arrivedUnanswered(p.containerArp());
        if (fluxFailed && h.effectiveMax(shimName, "arp_ignore") >= 1 && !shim.hasAddress(h.hostIp())) {
            String src = h.source(shimName, "arp_ignore");
            out.add(new Diagnosis(ARP_IGNORE, src + ": the host answers ARP only for addresses on the receiving "
                    + "interface, and " + shimName + " has none, so the container's who-has " + host
                    + " goes unanswered", List.of(src, shimName + " has no IPv4 address"), atShim,
                    arpIgnoreFix(h, ns, shimName)));
        }
        if (fluxFailed && !viaShim && h.effectiveOr(shimName, "arp_filter")) {
            String src = h.sysctl(shimName, "arp_filter") != 0 ? "net.ipv4.conf." + shimName + ".arp_filter=1"
                    : "net.ipv4.conf.all.arp_filter=1";
            List<String> fix = new ArrayList<>();
            if (h.sysctl("all", "arp_filter") != 0) {
                fix.add(ns.sysctl("net.ipv4.conf.all.arp_filter", 0));
            }
            if (h.sysctl(shimName, "arp_filter") != 0) {
                fix.add(ns.sysctl("net.ipv4.conf." + shimName + ".arp_filter", 0));
            }
            out.add(new Diagnosis(ARP_FILTER, src + ": the host answers ARP on " + shimName + " only if its route "
                    + "back to the asker (" + ctr + ") leaves through " + shimName + "; it leaves through "
                    + (h.hostToContainer() == null ? "no interface" : h.hostToContainer().dev())
                    + " (routing " + ctr + " through " + shimName + " cures this too)",
                    List.of(src, routeFact), atShim, fix));
        }
        if (ctrFailed && !viaShim && h.effectiveMax(shimName, "rp_filter") == 1) {
            String src = h.source(shimName, "rp_filter");
            List<String> fix = new ArrayList<>();
            if (h.sysctl("all", "rp_filter") == 1) {
                fix.add(ns.sysctl("net.ipv4.conf.all.rp_filter", 2));
            }
            if (h.sysctl(shimName, "rp_filter") == 1) {
                fix.add(ns.sysctl("net.ipv4.conf." + shimName + ".rp_filter", 2));
            }
            out.add(new Diagnosis(RP_FILTER, src + " (strict reverse-path filter): packets from " + ctr
                    + " arriving on " + shimName + " are dropped, because the route back to " + ctr + " leaves through "
                    + (h.hostToContainer() == null ? "no interface" : h.hostToContainer().dev())
                    + " (routing " + ctr + " through " + shimName + " cures this too; loose mode 2 keeps the check)",
                    List.of(src, routeFact), atShim, fix));
        }
        return out;
    }

    private static List<String> arpIgnoreFix(HostFacts h, Netns ns, String shim) {
        List<String> fix = new ArrayList<>();
        if (h.sysctl("all", "arp_ignore") >= 1) {
            fix.add(ns.sysctl("net.ipv4.conf.all.arp_ignore", 0)
                    + "   (then set arp_ignore per interface where it is wanted: all overrides every interface)");
        }
        if (h.sysctl(shim, "arp_ignore") >= 1) {
            fix.add(ns.sysctl("net.ipv4.conf." + shim + ".arp_ignore", 0));
        }
        return fix;
    }

    /**
     * Two dotted quads that differ by one edit in one octet: a digit changed, added or dropped (.140 for .240,
     * .24 for .240).
     */
    static boolean oneTypoAway(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        if (x.length != 4 || y.length != 4) {
            return false;
        }
        int differing = 0;
        for (int i = 0; i < 4; i++) {
            if (!x[i].equals(y[i])) {
                differing++;
                if (differing > 1 || editDistance(x[i], y[i]) != 1) {
                    return false;
                }
            }
        }
        return differing == 1;
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

    /** Frames that show the host sending towards the container through the parent instead of the shim. */
    private static List<Frame> routeEvidence(ProbeExchanges p, HostFacts h) {
        List<Frame> l = new ArrayList<>();
        Predicate<Frame> leftViaParent = f -> f.seenAt(PARENT, OUT) || f.seenAt(WIRE, IN);
        for (Exchange e : new Exchange[] {p.hostArp(), p.hostEcho()}) {
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

    private static String describeRouteFrames(List<Frame> ev, String where) {
        Frame f = ev.get(0);
        boolean wire = ev.stream().anyMatch(x -> x.seenAt(WIRE, IN));
        if (f.seenAt(SHIM, IN)) {
            return "the container's echo request arrived through the shim and no reply went back that way";
        }
        return "its " + (f.kind().isArp() ? "ARP request for the container" : f.summary()) + " left through " + where
                + " (egress on the parent" + (wire ? ", seen on the wire" : "") + ") instead of the shim";
    }

    /** Requests that got no answer, wherever they were seen. */
    private static List<Frame> unanswered(Exchange... exchanges) {
        List<Frame> l = new ArrayList<>();
        for (Exchange e : exchanges) {
            if (e != null && e.replies().isEmpty()) {
                l.addAll(e.requests());
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

    private static String linkFact(Link l) {
        return l.name() + ": " + (l.adminUp() ? "up" : "down") + ", operstate " + l.operState()
                + (l.macvlanMode() == null ? "" : ", macvlan " + l.macvlanMode());
    }
}
