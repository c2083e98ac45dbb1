package io.macvlandoctor.model.change;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import java.util.List;

/**
 * A change journaled by macvlan-doctor 0.2.0 as an `ip` command or another program with the argv that undoes it:
 * read from such a journal so that teardown after an upgrade undoes it exactly as 0.2.0 would have. Never made
 * anew.
 *
 * @param program "ip" for an `ip` command, else the program run in the namespace (iptables, nft): its undo argv
 *     starts with it
 * @param createsLink the link it created, whose ifindex and MAC must still match before it is removed; null
 */
public record Legacy(Netns ns, String summary, String program, List<String> undoArgs, String createsLink,
                     int linkIndex, String linkMac) implements Change {
    public Legacy {
        undoArgs = List.copyOf(undoArgs);
    }

    @Override
    public String command() {
        return summary;
    }

    @Override
    public String undoCommand() {
        return program.equals("ip") ? Commands.ipLine(ns, undoArgs) : ns.exec(String.join(" ", undoArgs));
    }

    @Override
    public boolean undoable() {
        return !undoArgs.isEmpty();
    }

    @Override
    public Change apply(Host h) {
        throw new IllegalStateException("a change of an older journal is only undone");
    }

    @Override
    public String undo(Host h, Netns where) {
        if (createsLink != null) {
            Link now = h.link(where, createsLink);
            if (now == null) {
                return "already gone: " + createsLink;
            }
            if (linkIndex == 0 || now.index() != linkIndex || linkMac != null && !linkMac.equals(now.mac())) {
                return "left alone: " + createsLink + " is not the link we created (ifindex " + now.index() + " "
                        + now.mac() + ", ours was " + (linkIndex == 0 ? "never recorded" : linkIndex + " " + linkMac)
                        + ")";
            }
        }
        if (program.equals("ip")) {
            return Commands.undoIp(h, where, undoArgs, summary);
        }
        Host.Result r = h.exec(where, undoArgs);
        if (!r.ok()) {
            throw new EnvironmentException("could not undo '" + summary + "': " + undoCommand() + " failed: "
                    + r.firstErrorLine());
        }
        return "undone: " + summary + " (" + where.exec(String.join(" ", undoArgs)) + ")";
    }

    @Override
    public Presence presence(Host h, Netns where) {
        return Presence.UNKNOWN;
    }
}
