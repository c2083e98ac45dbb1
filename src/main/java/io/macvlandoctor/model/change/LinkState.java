package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import java.util.List;

/** Brings a link up (or down); undone by the opposite. */
public record LinkState(Netns ns, String name, boolean up) implements Change {
    private List<String> args(boolean state) {
        return List.of("link", "set", name, state ? "up" : "down");
    }

    @Override
    public String summary() {
        return "bring " + name + (up ? " up" : " down");
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args(up));
    }

    @Override
    public String undoCommand() {
        return Commands.ipLine(ns, args(!up));
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args(up));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return Commands.undoIp(h, where, args(!up), summary());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        Link l = h.link(where, name);
        return l == null ? Presence.NOT_MADE : l.adminUp() == up ? Presence.MADE : Presence.NOT_MADE;
    }
}
