package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import java.util.List;

/**
 * Every rule, in the order the diagnosis runs them: by stage, and within a stage in this order (a rule may look at
 * what the rules before it found). Adding a cause is one class here, one code in the registry, one section in
 * docs/troubleshooting.md and one row of RulesTest.
 */
public final class Rules {
    private Rules() {
    }

    public static final List<Rule> ALL = List.of(
            new ContainerDown(),
            new ParentDown(),
            new NetworkMode(),
            new NotMacvlan(),
            new NetworkParent(),
            new ShimParent(),
            new NoShim(),
            new ShimMode(),
            new ShimDown(),
            new Ipv6Disabled(),
            new PolicyRoute(),
            new IpamOverlap(),
            new RouteMismatch(),
            new NoRoute(),
            new ArpIgnore(),
            new ArpFilter(),
            new RpFilter(),
            new NdpProxy(),
            new NeighbourEntry(),
            new HostFirewall(),
            new IpConflict(),
            new Unexplained(),
            new ParentWireless(),
            new BondMacRewrite(),
            new ParentNotPromisc(),
            new LanMacFiltered(),
            new LanPeerSilent());

    /** The rule of a cause. */
    public static Rule of(Cause c) {
        return ALL.stream().filter(r -> r.cause() == c).findFirst().orElseThrow();
    }

    /** The route cause found for the judged family (a sysctl that only blocks while the route is wrong is cured by it). */
    static Cause routeCause(Case c) {
        return c.foundFor(Cause.POLICY_ROUTE, Cause.IPAM_OVERLAP, Cause.ROUTE_MISMATCH, Cause.NO_ROUTE);
    }
}
