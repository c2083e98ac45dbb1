package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;

/**
 * Writes a file of the boot-time configuration (setup --persist), remembering the one it replaces. A file that was
 * changed since it was written is someone else's then, and its undo leaves it alone.
 *
 * @param previous the text of the file it replaced, null when there was none
 */
public record FileWrite(String path, String text, int mode, String previous, int previousMode) implements Change {
    @Override
    public Netns ns() {
        return Netns.CURRENT;
    }

    @Override
    public String summary() {
        return (previous == null ? "write " : "replace ") + path;
    }

    @Override
    public String command() {
        return "write " + path;
    }

    @Override
    public String undoCommand() {
        return (previous == null ? "rm " : "restore ") + path;
    }

    @Override
    public Change apply(Host h) {
        h.writeFile(path, text, mode);
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        String now = h.readFile(path);
        if (now == null) {
            return "already gone: " + path;
        }
        if (!now.equals(text)) {
            return "left alone: " + path + " was changed since macvlan-doctor wrote it; remove it by hand";
        }
        if (previous != null) {
            h.writeFile(path, previous, previousMode);
            return "undone: " + summary() + " (the previous " + path + " is back)";
        }
        h.delete(path);
        return "undone: " + summary() + " (rm " + path + ")";
    }

    @Override
    public Presence presence(Host h, Netns where) {
        String now = h.readFile(path);
        if (text.equals(now)) {
            return Presence.MADE;
        }
        return previous == null ? now == null ? Presence.NOT_MADE : Presence.UNKNOWN
                : previous.equals(now) ? Presence.NOT_MADE : Presence.UNKNOWN;
    }
}
