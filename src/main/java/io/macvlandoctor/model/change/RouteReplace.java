package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.List;

/**
 * Routes a destination through a device in place of the route it had (`ip route replace` keeps it reachable until
 * the new one is in); undone by putting that route back.
 *
 * @param previous the route to the same destination before, null when there was none
 */
public record RouteReplace(Netns ns, Cidr dst, String dev, Route previous) implements Change {
    private List<String> args() {
        return Commands.ip(dst.family(), "route", "replace", dst.destination(), "dev", dev);
    }

    private List<String> undoArgs() {
        if (previous == null) {
            return Commands.ip(dst.family(), "route", "del", dst.destination(), "dev", dev);
        }
        List<String> l = Commands.ip(dst.family(), "route", "replace", dst.destination());
        if (previous.gateway() != null) {
            l.addAll(List.of("via", previous.gateway()));
        }
        l.addAll(List.of("dev", previous.dev()));
        return l;
    }

    @Override
    public String summary() {
        return "route " + dst.destination() + " through " + dev + (previous == null ? ""
                : " (was " + previous.describe() + ")");
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args());
    }

    @Override
    public String undoCommand() {
        return Commands.ipLine(ns, undoArgs());
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args());
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return Commands.undoIp(h, where, undoArgs(), summary());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        boolean now = h.routes(where).stream().anyMatch(r -> r.dst() != null && dev.equals(r.dev())
                && r.gateway() == null && r.dst().destination().equals(dst.destination()));
        return now ? Presence.MADE : Presence.NOT_MADE;
    }
}
