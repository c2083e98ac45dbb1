package io.macvlandoctor.model.change;

import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import java.util.List;

/** An IPv6 proxy entry: the device answers neighbour solicitations for the address (with proxy_ndp on). */
public record ProxyEntry(Netns ns, IpAddress ip, String dev) implements Change {
    private List<String> args(String verb) {
        return List.of("-6", "neigh", verb, "proxy", ip.toString(), "dev", dev);
    }

    @Override
    public String summary() {
        return "answer solicitations for " + ip + " on " + dev + " (proxy entry)";
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
        boolean there = h.proxies(where).stream().anyMatch(n -> n.ip().equals(ip) && dev.equals(n.dev()));
        return there ? Presence.MADE : Presence.NOT_MADE;
    }
}
