package io.macvlandoctor.model.change;

import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a macvlan (to create it again in another mode). The deletion drops every route through it, so its undo
 * creates it again as it was (parent, mode, state) and puts those routes back.
 *
 * @param index its ifindex: while a link of that name has it, the deletion was not made
 * @param routes the routes through it that are not the kernel's own, as they were
 */
public record LinkDelete(Netns ns, String name, int index, String parent, MacvlanMode mode, boolean wasUp,
                         List<Route> routes) implements Change {
    public LinkDelete {
        routes = List.copyOf(routes);
    }

    @Override
    public String summary() {
        return "delete " + name + " (macvlan " + mode.id() + ")";
    }

    @Override
    public String command() {
        return ns.ip("link del " + name);
    }

    @Override
    public String undoCommand() {
        return ns.ip("link add link " + parent + " name " + name + " type macvlan mode " + mode.id());
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, List.of("link", "del", name));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        if (h.link(where, name) != null) {
            return "left alone: " + summary() + " (a link named " + name + " exists again)";
        }
        List<String> lines = new ArrayList<>();
        Commands.ip(h, where, List.of("link", "add", "link", parent, "name", name, "type", "macvlan", "mode",
                mode.id()));
        lines.add(ns.ip("link add link " + parent + " name " + name + " type macvlan mode " + mode.id()));
        if (wasUp) {
            Commands.ip(h, where, List.of("link", "set", name, "up"));
            for (Route r : routes) {
                List<String> add = Commands.ip(r.family(), "route", "add", r.dst().destination());
                if (r.gateway() != null) {
                    add.addAll(List.of("via", r.gateway()));
                }
                add.addAll(List.of("dev", name));
                Host.Result res = h.ip(where, add);
                lines.add((res.ok() ? "" : "(failed) ") + Commands.ipLine(where, add));
            }
        }
        return "undone: " + summary() + " (" + String.join("; ", lines) + ")";
    }

    @Override
    public Presence presence(Host h, Netns where) {
        io.macvlandoctor.model.Link l = h.link(where, name);
        return l == null ? Presence.MADE : l.index() == index ? Presence.NOT_MADE : Presence.UNKNOWN;
    }
}
