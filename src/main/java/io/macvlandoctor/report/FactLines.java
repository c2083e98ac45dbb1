package io.macvlandoctor.report;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Ruleset;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.ParentNic;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The kernel facts of a run, one readable line each (the report's "facts" section). */
public final class FactLines {
    private FactLines() {
    }

    public static List<String> of(KernelFacts k) {
        List<String> l = new ArrayList<>();
        l.add("parent " + link(k.parent()) + (k.parentWireless() ? ", WIRELESS (access points drop frames from "
                + "MACs that did not associate: macvlan rarely works on Wi-Fi)" : ""));
        ParentNic nic = k.parentNic();
        if (nic.driver() != null || nic.promiscuity() >= 0) {
            l.add("parent " + k.parent().name() + " NIC: " + nic.describe());
        }
        l.add("shim " + (k.shim() == null ? "(none on " + k.parent().name() + ")" : link(k.shim())));
        l.add("container " + (k.containerIface() == null ? "(interface gone)" : link(k.containerIface())));
        k.containerGateways().forEach((f, g) -> l.add("container's gateway" + (f == Family.V6 ? " (IPv6)" : "")
                + ": " + g));
        for (Family f : k.families()) {
            l.add("host: " + RouteLookup.describe(k.hostToContainer().get(f), k.containerIp(f)));
            if (k.hostIp(f) != null) {
                l.add("container: " + RouteLookup.describe(k.containerToHost().get(f), k.hostIp(f)));
            }
        }
        if (k.shim() != null) {
            String via = k.mainRoutes().stream().filter(r -> k.shim().name().equals(r.dev())).map(Route::describe)
                    .collect(Collectors.joining(", "));
            l.add("routes through " + k.shim().name() + ": " + (via.isEmpty() ? "none" : via));
        }
        // Policy rules other than the kernel's own three (local, main, default), and the other tables' routes.
        for (var r : k.rules()) {
            boolean stock = r.priority() == 0 && "local".equals(r.table()) || r.priority() == 32766
                    && "main".equals(r.table()) || r.priority() == 32767 && "default".equals(r.table());
            if (!stock) {
                l.add("rule (" + r.family().label() + ") " + r.describe());
            }
        }
        k.hostRoutes().stream().filter(r -> !r.inMain()).forEach(r -> l.add("route " + r.describe()));
        String dev = k.shim() == null ? k.parent().name() : k.shim().name();
        if (k.families().contains(Family.V4)) {
            for (String name : List.of("arp_ignore", "arp_filter", "rp_filter")) {
                int eff = name.equals("arp_filter") ? (k.effectiveOr(dev, name) ? 1 : 0) : k.effectiveMax(dev, name);
                l.add(name + ": all=" + k.conf4("all", name) + " " + k.parent().name() + "="
                        + k.conf4(k.parent().name(), name) + (k.shim() == null ? "" : " " + dev + "="
                        + k.conf4(dev, name)) + " (effective on " + dev + ": " + eff + ")");
            }
        }
        if (k.families().contains(Family.V6) && k.shim() != null) {
            l.add("IPv6 on " + dev + ": proxy_ndp=" + k.sysctl(Sysctl.conf6(dev, "proxy_ndp")) + " (all="
                    + k.sysctl(Sysctl.conf6("all", "proxy_ndp")) + "), forwarding="
                    + k.sysctl(Sysctl.conf6(dev, "forwarding")) + ", proxy_delay="
                    + k.sysctl(Sysctl.neigh6(dev, "proxy_delay")) + ", disable_ipv6="
                    + k.sysctl(Sysctl.conf6(dev, "disable_ipv6")));
        }
        for (Neighbour n : k.neighbours()) {
            l.add("neighbour " + n.describe());
        }
        for (Ruleset r : k.firewall()) {
            long rules = (r.text() == null ? "" : r.text()).lines().filter(x -> x.startsWith("[") || x.contains("-A ")
                    || x.contains("# handle")).count();
            l.add("firewall " + r.side() + ": " + r.tool() + ", " + rules + " rules");
        }
        return l;
    }

    static String link(Link k) {
        return k.name() + ": " + (k.adminUp() ? "up" : "DOWN") + ", operstate " + k.operState()
                + (k.macvlanMode() == null ? "" : ", macvlan " + k.macvlanMode())
                + (k.addresses().isEmpty() ? ", no address" : ", " + k.addresses().stream().map(Object::toString)
                        .collect(Collectors.joining(" ")))
                + (k.mac() == null ? "" : ", " + k.mac());
    }
}
