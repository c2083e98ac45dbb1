package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PolicyRule;
import java.util.List;

/**
 * A policy rule that looks up a table for one destination, at a priority of its own: placed before a rule that
 * sends the destination elsewhere (a VPN's), it leaves that rule as it is.
 */
public record RuleAdd(Netns ns, int priority, Cidr to, String table) implements Change {
    private List<String> args(String verb) {
        return Commands.ip(to.family(), "rule", verb, "priority", Integer.toString(priority), "to", to.destination(),
                "lookup", table);
    }

    @Override
    public String summary() {
        return "look up table " + table + " for " + to.destination() + " first (rule priority " + priority + ")";
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args("add"));
    }

    @Override
    public String undoCommand() {
        return Commands.ipLine(ns, args("del"));
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args("add"));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return Commands.undoIp(h, where, args("del"), summary());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        for (PolicyRule r : h.rules(where)) {
            if (r.family() == to.family() && r.priority() == priority && to.equals(r.to())
                    && table.equals(r.table())) {
                return Presence.MADE;
            }
        }
        return Presence.NOT_MADE;
    }
}
