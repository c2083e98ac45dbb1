package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;

/**
 * A trace instance of the run's own (DIR/instances/mvd-RUN): its events, filters and buffer are its alone, and the
 * global trace settings and other tools' instances are never touched. Removing the directory removes the instance.
 */
public record TraceInstance(String dir) implements Change {
    @Override
    public Netns ns() {
        return Netns.CURRENT;
    }

    @Override
    public boolean networking() {
        return false;
    }

    @Override
    public String summary() {
        return "create the trace instance " + dir;
    }

    @Override
    public String command() {
        return "mkdir " + dir;
    }

    @Override
    public String undoCommand() {
        return "rmdir " + dir;
    }

    @Override
    public Change apply(Host h) {
        h.mkdir(dir);
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        if (!h.exists(dir)) {
            return "already gone: " + summary();
        }
        // An instance directory is removed whole by rmdir (tracefs refuses it while a reader holds it open).
        return h.rmdirIfEmpty(dir) ? "undone: " + summary() + " (rmdir " + dir + ")"
                : "left alone: " + dir + " (tracefs refused to remove it: still in use)";
    }

    @Override
    public Presence presence(Host h, Netns where) {
        return h.exists(dir) ? Presence.MADE : Presence.NOT_MADE;
    }
}
