package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;

/**
 * Mounts a tracefs on a private directory of ours, where none is mounted (the kernel's decisions are read from a
 * trace instance of its own); undone by unmounting it and removing the directory.
 */
public record TraceMount(String dir) implements Change {
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
        return "mount tracefs on " + dir;
    }

    @Override
    public String command() {
        return "mount -t tracefs nodev " + dir;
    }

    @Override
    public String undoCommand() {
        return "umount -l " + dir;
    }

    @Override
    public Change apply(Host h) {
        h.mkdir(dir);
        h.mountTracefs(dir);
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        if (!h.tracefsMountedAt(dir)) {
            h.rmdirIfEmpty(dir);
            return "already gone: " + summary();
        }
        if (!h.unmount(dir)) {
            return "left alone: " + summary() + " (umount -l " + dir + " failed)";
        }
        h.rmdirIfEmpty(dir);
        return "undone: " + summary() + " (umount -l " + dir + ")";
    }

    @Override
    public Presence presence(Host h, Netns where) {
        return h.tracefsMountedAt(dir) ? Presence.MADE : Presence.NOT_MADE;
    }
}
