package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Role.CONTAINER;
import static io.macvlandoctor.model.Role.SHIM;

import io.macvlandoctor.analysis.FirewallEval;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.FirewallRule;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.Recipes;
import io.macvlandoctor.model.change.SysctlSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * host-firewall: a netfilter rule (iptables, ip6tables, nft of the ip, ip6, inet, arp or netdev family) or
 * icmp_echo_ignore_all drops the probe on the host or in the container. The fix accepts only the traffic between
 * the host and the container, right before the dropping rule; the rule itself stays.
 */
final class HostFirewall implements Rule {
    @Override
    public Cause cause() {
        return Cause.HOST_FIREWALL;
    }

    @Override
    public Stage stage() {
        return Stage.FILTERS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        KernelFacts k = c.k();
        Family f = c.family();
        List<String> facts = new ArrayList<>();
        List<Change> fix = new ArrayList<>();
        String ignore = f == Family.V4 ? "net.ipv4.icmp_echo_ignore_all" : "net.ipv6.icmp.echo_ignore_all";
        Exchange ce = c.run().exchanges().containerEcho();
        Exchange he = c.run().exchanges().hostEcho();
        boolean ctrEchoUnanswered = c.run().failed(CheckId.Kind.CONTAINER_ICMP) && ce != null && ce.replies().isEmpty();
        boolean hostEchoUnanswered = c.run().hostFailed() && he != null && he.replies().isEmpty();
        if (ctrEchoUnanswered && k.sysctl(ignore) != 0) {
            facts.add(ignore + "=" + k.sysctl(ignore) + " (host)");
            fix.add(new SysctlSet(c.ns(), ignore, 0, k.sysctl(ignore)));
        }
        int ctrIgnore = k.containerSysctls().getOrDefault(ignore, 0);
        if (hostEchoUnanswered && ctrIgnore != 0 && k.containerNs() != null) {
            facts.add(ignore + "=" + ctrIgnore + " (container)");
            fix.add(new SysctlSet(k.containerNs(), ignore, 0, ctrIgnore));
        }
        List<FirewallRule> rules = new ArrayList<>(FirewallEval.dropping(k.firewall(), Side.HOST,
                packets(k, f, c.shim(), true)));
        if (k.containerIface() != null) {
            rules.addAll(FirewallEval.dropping(k.firewall(), Side.CONTAINER, packets(k, f, k.containerIface().name(),
                    false)));
        }
        Set<String> fixed = new LinkedHashSet<>();
        for (FirewallRule r : rules) {
            facts.add(r.side() + ": " + r.tool() + " table " + r.table() + ", chain " + r.chain() + ": " + r.rule()
                    + " (drops " + r.packet() + ")");
            boolean inContainer = r.side() == Side.CONTAINER;
            Netns ns = inContainer ? k.containerNs() : c.ns();
            if (ns != null) {
                IpAddress peer = inContainer ? k.hostIp(f) : k.containerIp(f);
                String iface = inContainer ? k.containerIface().name() : c.shim();
                Change accept = Recipes.accept(ns, r, iface, peer, r.table().startsWith("arp "));
                if (fixed.add(accept.command())) {
                    fix.add(accept);
                }
            }
        }
        List<KernelEvent> drops = c.kernel(KernelEvent.Drop.class).stream()
                .filter(d -> d.reason().equals("NETFILTER_DROP") && d.family() == f).map(d -> (KernelEvent) d)
                .toList();
        if (facts.isEmpty() && !drops.isEmpty()) {
            // The kernel says netfilter dropped the probe, in a rule none of the readers understood.
            return List.of(new Diagnosis(cause(), f, "netfilter dropped the probe ("
                    + ((KernelEvent.Drop) drops.get(0)).protocolName() + " at " + ((KernelEvent.Drop) drops.get(0))
                    .location() + "), in a rule this tool cannot match to the probe", List.of(), List.of(), drops,
                    List.of(), List.of("list the rules on both sides (nft list ruleset; iptables-save; "
                            + "iptables-legacy-save) and accept the traffic between " + c.host() + " and " + c.ctr()
                            + " before the rule that drops it"), null));
        }
        if (facts.isEmpty()) {
            return List.of();
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
        if (ev.isEmpty()) {
            ev.addAll(Evidence.arrivedUnanswered(c.run().exchanges().containerResolve()));
        }
        String where = ev.isEmpty() ? "" : "; the probe arrived (" + PathChecks.seen(ev) + ") and was never answered";
        String what = rules.isEmpty() ? "echo requests are ignored (" + ignore + ")"
                : (rules.size() == 1 ? "a netfilter rule drops " : rules.size() + " netfilter rules drop ")
                        + rules.stream().map(FirewallRule::packet).distinct().collect(Collectors.joining(", "))
                        + (facts.size() > rules.size() ? ", and echo requests are ignored (" + ignore + ")" : "");
        return List.of(new Diagnosis(cause(), f, what + where, facts, ev, drops, fix, notes, null));
    }

    /**
     * The probe's packets as netfilter sees them on one side: the echoes both ways (requests new, replies
     * established), for IPv6 the neighbour discovery that conntrack leaves untracked, for IPv4 the ARP exchange
     * (which only nft's arp family sees).
     */
    static List<FirewallEval.Packet> packets(KernelFacts k, Family f, String iface, boolean host) {
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
        } else {
            l.add(FirewallEval.Packet.arp(true, iface, peer, self, 1, them + " ARP request"));
            l.add(FirewallEval.Packet.arp(true, iface, peer, self, 2, them + " ARP reply"));
            l.add(FirewallEval.Packet.arp(false, iface, self, peer, 1, me + " ARP request"));
            l.add(FirewallEval.Packet.arp(false, iface, self, peer, 2, me + " ARP reply"));
        }
        return l;
    }
}
