package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;

/** A symbolic link (a unit's .wants entry, as systemctl enable makes it); undone while it points where it did. */
public record SymlinkCreate(String path, String target) implements Change {
    @Override
    public Netns ns() {
        return Netns.CURRENT;
    }

    @Override
    public String summary() {
        return "link " + path + " -> " + target;
    }

    @Override
    public String command() {
        return "ln -s " + target + " " + path;
    }

    @Override
    public String undoCommand() {
        return "rm " + path;
    }

    @Override
    public Change apply(Host h) {
        h.symlink(path, target);
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        if (!target.equals(h.readLink(path))) {
            return "left alone: " + path + " (it points elsewhere now, or is gone)";
        }
        h.delete(path);
        return "undone: " + summary() + " (rm " + path + ")";
    }

    @Override
    public Presence presence(Host h, Netns where) {
        String now = h.readLink(path);
        return target.equals(now) ? Presence.MADE : now == null && !h.exists(path) ? Presence.NOT_MADE
                : Presence.UNKNOWN;
    }
}
