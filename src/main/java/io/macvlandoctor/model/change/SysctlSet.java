package io.macvlandoctor.model.change;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Netns;

/** Sets a sysctl (full dotted name), remembering the value it had. */
public record SysctlSet(Netns ns, String name, int value, int previous) implements Change {
    @Override
    public String summary() {
        return "set " + name + "=" + value + " (was " + previous + ")";
    }

    @Override
    public String command() {
        return ns.sysctl(name, value);
    }

    @Override
    public String undoCommand() {
        return ns.sysctl(name, previous);
    }

    @Override
    public Change apply(Host h) {
        h.writeSysctl(ns, name, value);
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        try {
            h.writeSysctl(where, name, previous);
            return "undone: " + summary() + " (" + name + "=" + previous + " again)";
        } catch (EnvironmentException gone) {
            return "already gone: " + summary();
        }
    }

    @Override
    public Presence presence(Host h, Netns where) {
        Integer now = h.readSysctl(where, name);
        if (now == null) {
            return Presence.NOT_MADE;
        }
        return now == value ? Presence.MADE : now == previous ? Presence.NOT_MADE : Presence.UNKNOWN;
    }
}
