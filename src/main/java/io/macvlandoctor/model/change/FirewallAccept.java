package io.macvlandoctor.model.change;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Netns;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An accept rule for the traffic between the host and the container, placed right before the rule that drops it
 * (or, for a drop policy, at the end of the chain, which comes before the policy). The dropping rule stays.
 *
 * @param tool iptables, ip6tables or nft
 * @param table iptables: the table ("filter"); nft: family and name ("inet filter", "arp f")
 * @param position iptables: the rule number to insert at; nft: the handle of the rule to insert before; 0: at the
 *     end of the chain
 * @param match the rule's words after the chain ("-i mv-shim -s 10.0.0.5 -j ACCEPT", "iifname eth0 ip saddr
 *     10.0.0.1 accept")
 * @param handle nft: the new rule's handle once made (`nft --echo --handle` prints it), null before
 */
public record FirewallAccept(Netns ns, String tool, String table, String chain, int position, List<String> match,
                             String handle) implements Change {
    private static final Pattern HANDLE = Pattern.compile("# handle ([0-9]+)");

    public FirewallAccept {
        match = List.copyOf(match);
    }

    public static FirewallAccept of(Netns ns, String tool, String table, String chain, int position,
                                    List<String> match) {
        return new FirewallAccept(ns, tool, table, chain, position, match, null);
    }

    private boolean nft() {
        return tool.equals("nft");
    }

    /** The command as printed: nft insert/add rule, iptables -I/-A. */
    private List<String> args() {
        List<String> l = new ArrayList<>(List.of(tool));
        if (nft()) {
            l.addAll(List.of(position > 0 ? "insert" : "add", "rule"));
            l.addAll(List.of(table.split(" ", 2)));
            l.add(chain);
            if (position > 0) {
                l.addAll(List.of("position", Integer.toString(position)));
            }
        } else {
            l.addAll(List.of("-t", table, position > 0 ? "-I" : "-A", chain));
            if (position > 0) {
                l.add(Integer.toString(position));
            }
        }
        l.addAll(match);
        return l;
    }

    private List<String> undoArgs(String h) {
        if (nft()) {
            List<String> l = new ArrayList<>(List.of("nft", "delete", "rule"));
            l.addAll(List.of(table.split(" ", 2)));
            l.addAll(List.of(chain, "handle", h == null ? "HANDLE" : h));
            return l;
        }
        List<String> l = new ArrayList<>(List.of(tool, "-t", table, "-D", chain));
        l.addAll(match);
        return l;
    }

    @Override
    public String summary() {
        return "firewall rule: " + String.join(" ", args().subList(1, args().size()));
    }

    @Override
    public String command() {
        return ns.exec(String.join(" ", args()));
    }

    @Override
    public String undoCommand() {
        return ns.exec(String.join(" ", undoArgs(handle)));
    }

    @Override
    public Change apply(Host h) {
        if (!nft()) {
            Commands.exec(h, ns, args());
            return this;
        }
        List<String> echo = new ArrayList<>(List.of("nft", "--echo", "--handle"));
        echo.addAll(args().subList(1, args().size()));
        Host.Result r = Commands.exec(h, ns, echo);
        String made = lastHandle(r.stdout());
        if (made == null) {
            throw new EnvironmentException(command() + " did not say the new rule's handle: it cannot be undone; "
                    + "remove the rule by hand");
        }
        return new FirewallAccept(ns, tool, table, chain, position, match, made);
    }

    private static String lastHandle(String text) {
        Matcher m = HANDLE.matcher(text == null ? "" : text);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    @Override
    public String undo(Host h, Netns where) {
        if (nft() && handle == null) {
            return "left alone: " + summary() + " (its handle was never recorded)";
        }
        Host.Result r = h.exec(where, undoArgs(handle));
        if (r.ok()) {
            return "undone: " + summary() + " (" + where.exec(String.join(" ", undoArgs(handle))) + ")";
        }
        throw new EnvironmentException("could not undo '" + summary() + "': " + where.exec(String.join(" ",
                undoArgs(handle))) + " failed: " + r.firstErrorLine());
    }

    /**
     * iptables says whether the rule is there (-C); nft lists the chain with handles, and a rule whose words are
     * exactly ours is ours (the handle of the only one).
     */
    @Override
    public Presence presence(Host h, Netns where) {
        if (!nft()) {
            List<String> check = new ArrayList<>(List.of(tool, "-t", table, "-C", chain));
            check.addAll(match);
            return h.exec(where, check).ok() ? Presence.MADE : Presence.NOT_MADE;
        }
        List<String> handles = foundHandles(h, where);
        return handles.isEmpty() ? Presence.NOT_MADE : handles.size() == 1 ? Presence.MADE : Presence.UNKNOWN;
    }

    private List<String> foundHandles(Host h, Netns where) {
        List<String> list = new ArrayList<>(List.of("nft", "-a", "list", "chain"));
        list.addAll(List.of(table.split(" ", 2)));
        list.add(chain);
        Host.Result r = h.exec(where, list);
        List<String> out = new ArrayList<>();
        if (!r.ok()) {
            return out;
        }
        String ours = String.join(" ", match);
        // nft lists interface names quoted (iifname "eth0"); the rule's words are written without.
        for (String line : r.stdout().lines().map(l -> l.strip().replace("\"", "")).toList()) {
            int at = line.lastIndexOf(" # handle ");
            if (at > 0 && line.substring(0, at).strip().equals(ours)) {
                out.add(line.substring(at + " # handle ".length()).strip());
            }
        }
        return out;
    }

    @Override
    public Change asFound(Host h, Netns where) {
        if (!nft()) {
            return this;
        }
        List<String> handles = foundHandles(h, where);
        return handles.size() == 1 ? new FirewallAccept(ns, tool, table, chain, position, match, handles.get(0))
                : this;
    }
}
