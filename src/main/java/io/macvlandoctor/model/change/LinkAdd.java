package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Netns;
import java.util.List;

/**
 * Creates a macvlan child of a parent (the shim). Undone only while the link of that name is still the very link
 * it created: the ifindex and MAC recorded once it existed.
 *
 * @param afterIndex the highest ifindex of the namespace when the change was planned: a link found later with
 *     the name, parent and mode of this change and a higher ifindex was created after the plan, as this change
 *     creates it (teardown --recover); 0 when not known
 * @param index the link's ifindex once made, 0 before
 * @param mac the link's MAC once made, null before
 */
public record LinkAdd(Netns ns, String name, String parent, MacvlanMode mode, int afterIndex, int index, String mac)
        implements Change {
    public static LinkAdd of(Netns ns, String name, String parent, MacvlanMode mode, int afterIndex) {
        return new LinkAdd(ns, name, parent, mode, afterIndex, 0, null);
    }

    List<String> args() {
        return List.of("link", "add", "link", parent, "name", name, "type", "macvlan", "mode", mode.id());
    }

    @Override
    public String summary() {
        return "create " + name + " (macvlan " + mode.id() + " on " + parent + ")";
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args());
    }

    @Override
    public String undoCommand() {
        return ns.ip("link del " + name);
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args());
        return made(h.link(ns, name));
    }

    private LinkAdd made(Link l) {
        return l == null ? this : new LinkAdd(ns, name, parent, mode, afterIndex, l.index(), l.mac());
    }

    @Override
    public String undo(Host h, Netns where) {
        Link now = h.link(where, name);
        if (now == null) {
            return "already gone: " + name;
        }
        if (index == 0 || now.index() != index || mac != null && !mac.equals(now.mac())) {
            return "left alone: " + name + " is not the link we created (ifindex " + now.index() + " " + now.mac()
                    + ", ours was " + (index == 0 ? "never recorded" : index + " " + mac) + ")";
        }
        return Commands.undoIp(h, where, List.of("link", "del", name), summary());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        List<Link> links = h.links(where);
        Link l = links.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        if (l == null) {
            return Presence.NOT_MADE;
        }
        Link p = links.stream().filter(x -> x.name().equals(parent)).findFirst().orElse(null);
        boolean ours = l.isMacvlan() && mode.id().equals(l.macvlanMode()) && p != null && l.parentIndex() == p.index()
                && !l.parentElsewhere() && afterIndex > 0 && l.index() > afterIndex;
        return ours ? Presence.MADE : Presence.UNKNOWN;
    }

    @Override
    public Change asFound(Host h, Netns where) {
        return made(h.link(where, name));
    }
}
