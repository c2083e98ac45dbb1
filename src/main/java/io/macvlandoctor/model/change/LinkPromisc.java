package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;
import java.util.List;

/**
 * Puts a link into promiscuous mode (or out of it), as `ip link set DEV promisc on` does: the administrator's flag,
 * not the count that captures hold; undone by the opposite.
 */
public record LinkPromisc(Netns ns, String name, boolean on) implements Change {
    private List<String> args(boolean state) {
        return List.of("link", "set", name, "promisc", state ? "on" : "off");
    }

    @Override
    public String summary() {
        return "promiscuous mode " + (on ? "on" : "off") + " on " + name;
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args(on));
    }

    @Override
    public String undoCommand() {
        return Commands.ipLine(ns, args(!on));
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args(on));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return Commands.undoIp(h, where, args(!on), summary());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        return h.link(where, name) == null ? Presence.NOT_MADE
                : h.promisc(where, name) == on ? Presence.MADE : Presence.NOT_MADE;
    }
}
