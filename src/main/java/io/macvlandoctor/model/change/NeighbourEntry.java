package io.macvlandoctor.model.change;

import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import java.util.List;
import java.util.Locale;

/**
 * Sets a static neighbour entry to the link-layer address that answers now (`ip neigh replace ... nud permanent`),
 * in place of one that names an address nobody answers from (a container re-created with a new MAC): the entry
 * stays static, as its owner made it. Undone by putting the old address back.
 *
 * @param state the entry's state as it was, and as it is made again: permanent or noarp
 * @param previousMac the link-layer address the entry had
 */
public record NeighbourEntry(Netns ns, IpAddress ip, String dev, String mac, String state, String previousMac)
        implements Change {
    private List<String> args(String lladdr) {
        return List.of("neigh", "replace", ip.toString(), "lladdr", lladdr, "dev", dev, "nud",
                state.toLowerCase(Locale.ROOT));
    }

    @Override
    public String summary() {
        return "point the " + state.toLowerCase(Locale.ROOT) + " neighbour entry " + ip + " dev " + dev + " at "
                + mac + " (was " + previousMac + ")";
    }

    @Override
    public String command() {
        return Commands.ipLine(ns, args(mac));
    }

    @Override
    public String undoCommand() {
        return Commands.ipLine(ns, args(previousMac));
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, args(mac));
        return this;
    }

    @Override
    public String undo(Host h, Netns where) {
        return Commands.undoIp(h, where, args(previousMac), summary());
    }

    @Override
    public Presence presence(Host h, Netns where) {
        for (var n : h.neighbours(where, ip)) {
            if (dev.equals(n.dev()) && n.mac() != null) {
                return n.mac().equalsIgnoreCase(mac) ? Presence.MADE : n.mac().equalsIgnoreCase(previousMac)
                        ? Presence.NOT_MADE : Presence.UNKNOWN;
            }
        }
        return Presence.UNKNOWN;
    }
}
