package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.List;

/**
 * Routes a destination through a device. Undone only as the kernel recorded it when it was made: its protocol and
 * metric, so that a route someone else put in its place (another protocol or metric) is not ours to remove.
 *
 * @param protocol and metric: as the kernel recorded them once made, null before
 */
public record RouteAdd(Netns ns, Cidr dst, String dev, String protocol, Integer metric) implements Change {
    public static RouteAdd of(Netns ns, Cidr dst, String dev) {
        return new RouteAdd(ns, dst, dev, null, null);
    }

    private List<String> args() {
        return Commands.ip(dst.family(), "route", "add", dst.destination(), "dev", dev);
    }

    private List<String> undoArgs() {
        List<String> l = Commands.ip(dst.family(), "route", "del", dst.destination(), "dev", dev);
        if (protocol != null) {
            l.addAll(List.of("proto", protocol));
        }
        if (metric != null) {
            l.addAll(List.of("metric", Integer.toString(metric)));
        }
        return l;
    }

    @Override
    public String summary() {
        return "route " + dst.destination() + " through " + dev;
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
        return made(h, ns);
    }

    private Change made(Host h, Netns where) {
        List<Route> now = matching(h, where);
        return now.size() == 1 ? new RouteAdd(ns, dst, dev, now.get(0).protocol(), now.get(0).metric()) : this;
    }

    private List<Route> matching(Host h, Netns where) {
        return h.routes(where).stream().filter(r -> r.dst() != null && dev.equals(r.dev()) && r.gateway() == null
                && r.dst().destination().equals(dst.destination())).toList();
    }

    @Override
    public String undo(Host h, Netns where) {
        return Commands.undoIp(h, where, undoArgs(), summary());
    }

    /** `ip route add` gives protocol boot (which iproute2 leaves unsaid): one such route, and no other, is ours. */
    @Override
    public Presence presence(Host h, Netns where) {
        List<Route> now = matching(h, where);
        if (now.isEmpty()) {
            return Presence.NOT_MADE;
        }
        String proto = now.size() == 1 ? now.get(0).protocol() : "";
        return proto == null || "boot".equals(proto) ? Presence.MADE : Presence.UNKNOWN;
    }

    @Override
    public Change asFound(Host h, Netns where) {
        return made(h, where);
    }
}
