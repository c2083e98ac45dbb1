package io.macvlandoctor.rules;

import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.change.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * neighbour-entry: a static neighbour entry (permanent or noarp) for the container's address on the host, or for the
 * host's address in the container, names a link-layer address that is not the one answering for it: the container
 * (or the shim) was made again with a new MAC, and frames go to the old one. Neighbour flushes leave static entries
 * alone, so the kernel never learns better. The fix points the entry at the address that answers now and keeps it
 * static, as its owner made it.
 */
final class NeighbourEntry implements Rule {
    @Override
    public Cause cause() {
        return Cause.NEIGHBOUR_ENTRY;
    }

    @Override
    public Stage stage() {
        return Stage.SETTINGS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        List<Diagnosis> out = new ArrayList<>();
        Link ctrIface = c.k().containerIface();
        Link shim = c.k().shim();
        RouteLookup hostGet = c.k().hostToContainer().get(c.family());
        RouteLookup ctrGet = c.k().containerToHost().get(c.family());
        if (ctrIface != null && hostGet != null && (c.run().hostFailed() || c.run().containerFailed())) {
            stale(c, Side.HOST, c.ns(), c.ctr(), hostGet.dev(), ctrIface.mac(), "the container's " + ctrIface.name(),
                    out);
        }
        if (shim != null && ctrGet != null && c.k().containerNs() != null && c.host() != null
                && c.run().containerFailed()) {
            stale(c, Side.CONTAINER, c.k().containerNs(), c.host(), ctrGet.dev(), shim.mac(), "the shim " + shim.name(),
                    out);
        }
        return out;
    }

    private void stale(Case c, Side side, Netns ns, IpAddress ip, String dev, String rightMac, String whose,
                       List<Diagnosis> out) {
        for (Neighbour n : c.k().neighbours()) {
            if (side != n.side() || n.proxy() || !ip.equals(n.ip()) || !dev.equals(n.dev()) || n.mac() == null
                    || n.mac().equalsIgnoreCase(rightMac) || !isStatic(n.state())) {
                continue;
            }
            long old = Mac.parse(n.mac());
            List<Frame> ev = new ArrayList<>();
            for (Exchange e : c.run().exchanges().present()) {
                e.requests().stream().filter(f -> f.dstMac() == old).forEach(ev::add);
                e.replies().stream().filter(f -> f.dstMac() == old).forEach(ev::add);
            }
            List<KernelEvent> kernel = new ArrayList<>();
            c.kernel(KernelEvent.Neigh.class).stream().filter(x -> ip.equals(x.ip())).forEach(kernel::add);
            c.kernel(KernelEvent.Drop.class).stream().filter(x -> x.reason().equals("OTHERHOST")).forEach(kernel::add);
            Change fix = new io.macvlandoctor.model.change.NeighbourEntry(ns, ip, dev, rightMac.toLowerCase(Locale.ROOT),
                    n.state().toLowerCase(Locale.ROOT), n.mac());
            out.add(new Diagnosis(cause(), c.family(), "a " + n.state().toLowerCase(Locale.ROOT) + " neighbour entry "
                    + (side == Side.HOST ? "on the host" : "in the container") + " sends " + ip + " to " + n.mac()
                    + ", but " + whose + " is " + rightMac + " (made again with a new MAC?): frames for " + ip
                    + " go to an address nobody has, and flushing neighbours leaves static entries alone",
                    List.of("neighbour " + n.describe(), whose + ": " + rightMac), ev, kernel, List.of(fix),
                    List.of("the entry stays " + n.state().toLowerCase(Locale.ROOT) + ", as it was made, with the "
                            + "address that answers now; or delete it (" + ns.ip("neigh del " + ip + " dev " + dev)
                            + ") to let the kernel resolve " + ip + " itself"), null));
        }
    }

    private static boolean isStatic(String state) {
        String s = state == null ? "" : state.toUpperCase(Locale.ROOT);
        return s.contains("PERMANENT") || s.contains("NOARP");
    }
}
