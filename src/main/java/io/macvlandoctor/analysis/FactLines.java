package io.macvlandoctor.analysis;

import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The kernel facts of a diagnosis, one readable line each (the report's "facts" section). */
public final class FactLines {
    private FactLines() {
    }

    public static List<String> of(HostFacts h) {
        List<String> l = new ArrayList<>();
        l.add("parent " + link(h.parent()) + (h.parentWireless() ? ", WIRELESS (access points drop frames from "
                + "MACs that did not associate: macvlan rarely works on Wi-Fi)" : ""));
        l.add("shim " + (h.shim() == null ? "(none on " + h.parent().name() + ")" : link(h.shim())));
        l.add("container " + (h.containerIface() == null ? "(interface gone)" : link(h.containerIface())));
        l.add("host: " + lookup(h.hostToContainer(), h.containerIp()));
        l.add("container: " + lookup(h.containerToHost(), h.hostIp()));
        if (h.shim() != null) {
            String via = h.hostRoutes().stream().filter(r -> h.shim().name().equals(r.dev())).map(Route::describe)
                    .collect(Collectors.joining(", "));
            l.add("routes through " + h.shim().name() + ": " + (via.isEmpty() ? "none" : via));
        }
        String dev = h.shim() == null ? h.parent().name() : h.shim().name();
        for (String name : List.of("arp_ignore", "arp_filter", "rp_filter")) {
            int eff = name.equals("arp_filter") ? (h.effectiveOr(dev, name) ? 1 : 0) : h.effectiveMax(dev, name);
            l.add(name + ": all=" + h.sysctl("all", name) + " " + h.parent().name() + "="
                    + h.sysctl(h.parent().name(), name) + (h.shim() == null ? "" : " " + dev + "=" + h.sysctl(dev, name))
                    + " (effective on " + dev + ": " + eff + ")");
        }
        h.neighbours().forEach(n -> l.add("neighbour " + n));
        return l;
    }

    private static String link(Link k) {
        return k.name() + ": " + (k.adminUp() ? "up" : "DOWN") + ", operstate " + k.operState()
                + (k.macvlanMode() == null ? "" : ", macvlan " + k.macvlanMode())
                + (k.addresses().isEmpty() ? ", no address" : ", " + k.addresses().stream().map(Object::toString)
                        .collect(Collectors.joining(" ")))
                + (k.mac() == null ? "" : ", " + k.mac());
    }

    private static String lookup(RouteLookup r, int dst) {
        return "ip route get " + Ipv4.format(dst) + " -> " + (r == null ? "unreachable"
                : "dev " + r.dev() + (r.gateway() == null ? "" : " via " + r.gateway())
                        + (r.prefsrc() == null ? "" : " src " + r.prefsrc()));
    }
}
