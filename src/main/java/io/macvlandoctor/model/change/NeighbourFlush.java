package io.macvlandoctor.model.change;

import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import java.util.List;

/** Forgets the neighbour entries of an address (`ip neigh flush to X`): the kernel resolves it again. */
public record NeighbourFlush(Netns ns, IpAddress ip) implements Change {
    @Override
    public String summary() {
        return "flush the neighbour entry for " + ip;
    }

    @Override
    public String command() {
        return ns.ip("neigh flush to " + ip);
    }

    @Override
    public String undoCommand() {
        return "";
    }

    @Override
    public boolean undoable() {
        return false;
    }

    @Override
    public Change apply(Host h) {
        h.flushNeighbours(ns, List.of(ip));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return "nothing to undo: " + summary();
    }

    @Override
    public Presence presence(Host h, Netns where) {
        return Presence.MADE;
    }
}
