package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;

/** Creates a directory a file of the boot-time configuration goes in; undone only while it is empty. */
public record DirCreate(String path) implements Change {
    @Override
    public Netns ns() {
        return Netns.CURRENT;
    }

    @Override
    public String summary() {
        return "create directory " + path;
    }

    @Override
    public String command() {
        return "mkdir " + path;
    }

    @Override
    public String undoCommand() {
        return "rmdir " + path;
    }

    @Override
    public Change apply(Host h) {
        h.mkdir(path);
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return h.rmdirIfEmpty(path) ? "undone: " + summary() + " (rmdir " + path + ")"
                : "left alone: " + path + " (not empty, or gone)";
    }

    /** An empty directory is undone as made (rmdir takes nothing); one with files is not ours alone. */
    @Override
    public Presence presence(Host h, Netns where) {
        return h.exists(path) ? Presence.MADE : Presence.NOT_MADE;
    }
}
