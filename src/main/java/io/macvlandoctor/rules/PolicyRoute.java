package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.RuleAdd;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * policy-route: the main table routes the container through the shim, but a policy rule before main (a VPN
 * client's: Tailscale, wg-quick, a second uplink) sends the lookup to a table that routes it elsewhere. The rule is
 * the user's and stays: a rule of our own, just before it, looks up main for the container's address alone.
 */
final class PolicyRoute implements Rule {
    @Override
    public Cause cause() {
        return Cause.POLICY_ROUTE;
    }

    @Override
    public Stage stage() {
        return Stage.ROUTE;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        RouteLookup get = c.k().hostToContainer().get(c.family());
        IpAddress ctr = c.ctr();
        Route main = c.k().mainChoice(ctr);
        boolean mainViaShim = main != null && c.shim().equals(main.dev()) && main.gateway() == null;
        List<KernelEvent.Lookup> diverted = Evidence.lookupsTo(c).stream().filter(l -> l.table() != 254
                && l.table() != 255 && !c.shim().equals(l.dev())).toList();
        boolean elsewhere = get != null && !get.fromMain() && !c.shim().equals(get.dev()) || get == null
                && !diverted.isEmpty();
        if (!(c.run().hostFailed() || c.run().containerFailed()) || !mainViaShim || !elsewhere
                || c.foundFor(Cause.IPV6_DISABLED) != null) {
            return List.of();
        }
        String table = get != null && !get.fromMain() ? get.table() : RouteLookup.tableName(diverted.get(0).table());
        PolicyRule rule = divertingRule(c, table);
        List<String> facts = new ArrayList<>();
        facts.add(RouteLookup.describe(get, ctr));
        facts.add("main table: " + main.describe());
        c.k().hostRoutes().stream().filter(r -> table.equals(r.table()) && r.family() == c.family()
                && (r.dst() == null || r.dst().contains(ctr))).forEach(r -> facts.add("route " + r.describe()));
        // The rules the kernel walks before the one that diverts, the local table's own left out.
        List<PolicyRule> before = c.k().rules().stream().filter(r -> r.family() == c.family() && r.priority() > 0
                && r.priority() <= (rule == null ? Integer.MAX_VALUE : rule.priority())).toList();
        before.forEach(r -> facts.add("rule " + r.describe()));
        List<Change> fix = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int priority = rule == null ? -1 : freePriorityBelow(c, rule.priority());
        if (priority > 0) {
            fix.add(new RuleAdd(c.ns(), priority, Cidr.host(ctr), "main"));
            notes.add("rule " + rule.priority() + " stays as it is (it belongs to whatever added it, a VPN client "
                    + "perhaps); the new rule at priority " + priority + " comes just before it and sends only "
                    + ctr + " to the main table, which routes it through " + c.shim());
            notes.add("VPN clients may rewrite their rules when they reconnect: make it permanent with the host's "
                    + "network configuration (a [RoutingPolicyRule] in systemd-networkd, or a post-up line)");
        } else {
            notes.add("no free rule priority before " + (rule == null ? "the rule that diverts it" : "rule "
                    + rule.priority()) + ": add a rule 'to " + ctr + " lookup main' ahead of it by hand");
        }
        String via = get == null ? "nowhere" : "dev " + get.dev();
        return List.of(new Diagnosis(cause(), c.family(), "the main table routes " + ctr + " through " + c.shim()
                + ", but " + (rule == null ? "a policy rule" : "rule " + rule.priority() + " (" + rule.describe()
                        .substring(rule.describe().indexOf(':') + 2) + ")") + " sends the lookup to table " + table
                + ", which routes it " + via + ": the host sends to the container through the wrong device", facts,
                Evidence.leftViaParent(c.run().exchanges()), new ArrayList<>(diverted), fix, notes, null));
    }

    /** The first rule, by priority, that looks up this table for the host's own traffic to the container. */
    private static PolicyRule divertingRule(Case c, String table) {
        for (PolicyRule r : c.k().rules()) {
            if (r.family() == c.family() && r.isLookup() && table.equals(r.table())
                    && r.matchesLocalOutput(c.host(), c.ctr())) {
                return r;
            }
        }
        return c.k().rules().stream().filter(r -> r.family() == c.family() && table.equals(r.table())).findFirst()
                .orElse(null);
    }

    /** The highest priority below p that no rule of the family uses, or -1 (priority 0 is the local table's). */
    private static int freePriorityBelow(Case c, int p) {
        Set<Integer> used = c.k().rules().stream().filter(r -> r.family() == c.family()).map(PolicyRule::priority)
                .collect(Collectors.toSet());
        for (int q = p - 1; q > 0; q--) {
            if (!used.contains(q)) {
                return q;
            }
        }
        return -1;
    }
}
