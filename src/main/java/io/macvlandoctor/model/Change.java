package io.macvlandoctor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One change to a host, with the change that undoes it: the unit of the journal.
 *
 * @param ns where the change is made
 * @param apply the `ip` arguments that make it (without "ip" and the namespace option)
 * @param undo the `ip` arguments that undo it; empty when there is nothing to undo (a neighbour flush)
 * @param createsLink the name of the link the change creates, so that undo can make sure it removes that very link
 */
public record Change(Netns ns, String summary, List<String> apply, List<String> undo, String createsLink) {
    public Change {
        apply = List.copyOf(apply);
        undo = List.copyOf(undo);
    }

    public static Change of(Netns ns, String summary, List<String> apply, List<String> undo) {
        return new Change(ns, summary, apply, undo, null);
    }

    /** The command line that makes the change, as a user would type it. */
    public String command() {
        return commandLine(apply);
    }

    public String undoCommand() {
        return undo.isEmpty() ? "" : commandLine(undo);
    }

    private String commandLine(List<String> args) {
        List<String> a = new ArrayList<>(ns.ipCommand());
        a.addAll(args);
        return String.join(" ", a);
    }
}
