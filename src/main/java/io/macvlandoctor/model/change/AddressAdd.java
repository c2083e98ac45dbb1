package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.ArrayList;
import java.util.List;

/** Gives a link an address of its own (setup --shim-ip). */
public record AddressAdd(Netns ns, Cidr address, String dev) implements Change {
    @Override
    public String summary() {
        return "add " + address + " to " + dev;
    }

    @Override
    public String command() {
        return ns.ip("addr add " + address + " dev " + dev);
    }

    @Override
    public String undoCommand() {
        return ns.ip("addr del " + address + " dev " + dev);
    }

    @Override
    public Change apply(Host h) {
        Commands.ip(h, ns, List.of("addr", "add", address.toString(), "dev", dev));
        return this;
    }

    /**
     * Removing the last IPv4 address of a device makes the kernel drop every route through it (fib_del_ifaddr
     * disables IP on the device): routes that were there before the undo, that we did not add, are put back.
     */
    @Override
    public String undo(Host h, Netns where) {
        List<Route> before = via(h, where);
        String line = Commands.undoIp(h, where, List.of("addr", "del", address.toString(), "dev", dev), summary());
        List<Route> after = via(h, where);
        List<String> restored = new ArrayList<>();
        for (Route r : before) {
            // Routes with a source address came with an address; the kernel manages those itself.
            if (after.contains(r) || r.prefsrc() != null || "kernel".equals(r.protocol())) {
                continue;
            }
            List<String> add = Commands.ip(r.family(), "route", "add", r.dst() == null ? "default"
                    : r.dst().destination());
            if (r.gateway() != null) {
                add.addAll(List.of("via", r.gateway()));
            }
            add.addAll(List.of("dev", dev));
            restored.add((h.ip(where, add).ok() ? "restored the route " : "could not restore the route ")
                    + r.describe() + " (the kernel drops routes through a device when its last address goes)");
        }
        return restored.isEmpty() ? line : line + "; " + String.join("; ", restored);
    }

    private List<Route> via(Host h, Netns where) {
        return h.routes(where).stream().filter(r -> dev.equals(r.dev())).toList();
    }

    @Override
    public Presence presence(Host h, Netns where) {
        Link l = h.link(where, dev);
        return l != null && l.addresses().contains(address) ? Presence.MADE : Presence.NOT_MADE;
    }
}
