package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.List;

/** Deletes a route (a mistyped one); undone by adding it again as it was. */
public record RouteDelete(Netns ns, Route route) implements Change {
    private List<String> args(String verb) {
        List<String> l = Commands.ip(route.family(), "route", verb, route.dst() == null ? "default"
                : route.dst().destination());
        if (route.gateway() != null) {
            l.addAll(List.of("via", route.gateway()));
        }
        l.addAll(List.of("dev", route.dev()));
        return l;
    }

    @Override
    public String summary() {
        return "delete the route " + route.describe();
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args("del"));
    }

    @Override
    public String undoCommand() {
        return Commands.ipLine(ns, args("add"));
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args("del"));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        Host.Result r = h.ip(where, args("add"));
        if (r.ok() || r.stderr().contains("File exists")) {
            return "undone: " + summary() + " (" + Commands.ipLine(where, args("add")) + ")";
        }
        if (r.saysGone()) {
            return "left alone: " + summary() + " (" + route.dev() + " is gone)";
        }
        throw new io.macvlandoctor.EnvironmentException("could not undo '" + summary() + "': "
                + Commands.ipLine(where, args("add")) + " failed: " + r.firstErrorLine());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        boolean there = h.routes(where).stream().anyMatch(r -> r.dst() != null && route.dst() != null
                && r.dst().destination().equals(route.dst().destination()) && route.dev().equals(r.dev()));
        return there ? Presence.NOT_MADE : Presence.MADE;
    }
}
