package io.macvlandoctor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One change to a host, with the change that undoes it: the unit of the journal.
 *
 * @param ns where the change is made
 * @param kind an `ip` command, a neighbour flush (as `ip neigh flush to`, done over netlink), a sysctl written in
 *     the namespace, another program run in it, or a file of the boot-time configuration (setup --persist)
 * @param apply IP: the `ip` arguments that make it (without "ip" and the namespace option); SYSCTL: name, value;
 *     EXEC: the program and its arguments; FILE: path, text, octal mode; DIR: path; SYMLINK: path, target
 * @param undo the same for what undoes it; empty when there is nothing to undo (a neighbour flush); SYSCTL: name,
 *     previous value; FILE: path and, when it replaced a file, that file's text and mode; DIR, SYMLINK: path
 * @param createsLink the name of the link the change creates, so that undo can make sure it removes that very link
 */
public record Change(Netns ns, String summary, Kind kind, List<String> apply, List<String> undo, String createsLink) {
    /** An `ip` command, a sysctl written in the namespace, or another program run in the namespace (iptables). */
    public enum Kind { IP, FLUSH, SYSCTL, EXEC, FILE, DIR, SYMLINK }

    /**
     * In an EXEC undo, stands for the handle that the change's own output named (`nft --echo --handle` prints the
     * handle of the rule it added); the journal fills it in once the change is made.
     */
    public static final String HANDLE = "{handle}";

    public Change {
        apply = List.copyOf(apply);
        undo = List.copyOf(undo);
    }

    public static Change of(Netns ns, String summary, List<String> apply, List<String> undo) {
        return new Change(ns, summary, Kind.IP, apply, undo, null);
    }

    public static Change link(Netns ns, String summary, List<String> apply, List<String> undo, String creates) {
        return new Change(ns, summary, Kind.IP, apply, undo, creates);
    }

    /** Forgets the neighbour entries of an address (`ip neigh flush to X`): nothing to undo. */
    public static Change flush(Netns ns, IpAddress ip) {
        return new Change(ns, "flush the neighbour entry for " + ip, Kind.FLUSH,
                List.of("neigh", "flush", "to", ip.toString()), List.of(), null);
    }

    /** The address a FLUSH change flushes. */
    public IpAddress flushed() {
        return IpAddress.parse(apply.get(3));
    }

    /** Sets a sysctl (full name) and remembers the value it had. */
    public static Change sysctl(Netns ns, String name, int value, int previous) {
        return new Change(ns, "set " + name + "=" + value + " (was " + previous + ")", Kind.SYSCTL,
                List.of(name, Integer.toString(value)), List.of(name, Integer.toString(previous)), null);
    }

    /** Runs a program (not `ip`) in the namespace, with the program that undoes it. */
    public static Change exec(Netns ns, String summary, List<String> apply, List<String> undo) {
        return new Change(ns, summary, Kind.EXEC, apply, undo, null);
    }

    /** Writes a file, remembering the one it replaces (null: there was none). */
    public static Change file(String path, String text, int mode, String previous, int previousMode) {
        String m = Integer.toOctalString(mode);
        return new Change(Netns.CURRENT, (previous == null ? "write " : "replace ") + path, Kind.FILE,
                List.of(path, text, m), previous == null ? List.of(path)
                        : List.of(path, previous, Integer.toOctalString(previousMode)), null);
    }

    /** Creates a directory a file goes in; undone only while it is empty. */
    public static Change dir(String path) {
        return new Change(Netns.CURRENT, "create directory " + path, Kind.DIR, List.of(path), List.of(path), null);
    }

    /** A symbolic link (a unit's .wants entry, as systemctl enable makes it). */
    public static Change symlink(String path, String target) {
        return new Change(Netns.CURRENT, "link " + path + " -> " + target, Kind.SYMLINK, List.of(path, target),
                List.of(path), null);
    }

    /** The command line that makes the change, as a user would type it. */
    public String command() {
        return commandLine(apply, true);
    }

    public String undoCommand() {
        return undo.isEmpty() ? "" : commandLine(undo, false);
    }

    private String commandLine(List<String> args, boolean making) {
        switch (kind) {
            case FILE:
                return making ? "write " + args.get(0) : args.size() == 1 ? "rm " + args.get(0)
                        : "restore " + args.get(0);
            case DIR:
                return (making ? "mkdir " : "rmdir ") + args.get(0);
            case SYMLINK:
                return making ? "ln -s " + args.get(1) + " " + args.get(0) : "rm " + args.get(0);
            default:
                break;
        }
        if (kind == Kind.SYSCTL) {
            return ns.sysctl(args.get(0), Integer.parseInt(args.get(1)));
        }
        if (kind == Kind.EXEC) {
            return ns.exec(String.join(" ", args));
        }
        List<String> a = new ArrayList<>(ns.ipCommand());
        a.addAll(args);
        return String.join(" ", a);
    }
}
