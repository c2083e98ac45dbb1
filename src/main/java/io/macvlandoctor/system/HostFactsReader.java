package io.macvlandoctor.system;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gathers the kernel facts the diagnosis needs: links, routes, the kernel's route choices, sysctls, neighbours. */
public final class HostFactsReader {
    private static final List<String> SYSCTLS = List.of("arp_ignore", "arp_filter", "rp_filter");
    private final ProcessRunner runner;

    public HostFactsReader(ProcessRunner runner) {
        this.runner = runner;
    }

    public HostFacts read(Target t, int hostIp) {
        Ip host = new Ip(t.hostNs(), runner);
        Link ctrIface = null;
        RouteLookup ctrToHost = null;
        List<String> neighbours = new ArrayList<>(neighbours(host, t.containerIp(), "host"));
        if (t.containerNs() != null && Files.exists(t.containerNs().file())) {
            Ip ctr = new Ip(t.containerNs(), runner);
            String name = t.containerIface() == null ? null : t.containerIface().name();
            ctrIface = ctr.links().stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
            ctrToHost = ctr.routeGet(hostIp);
            neighbours.addAll(neighbours(ctr, hostIp, "container"));
        }
        // Read afresh: the diagnosis must describe the system as it is now, not as it was when the run began.
        List<Link> hostLinks = host.links();
        Link parent = hostLinks.stream().filter(l -> l.name().equals(t.parent().name())).findFirst()
                .orElse(t.parent());
        Link shim = t.shim() == null ? null : hostLinks.stream().filter(l -> l.name().equals(t.shim().name()))
                .findFirst().orElse(null);
        List<String> devs = new ArrayList<>(List.of("all", parent.name()));
        if (shim != null) {
            devs.add(shim.name());
        }
        Map<String, Integer> sysctls = new LinkedHashMap<>(new Sysctls(t.hostNs()).readConf(devs, SYSCTLS));
        return new HostFacts(t.hostNs(), t.containerNs(), parent, shim, ctrIface, t.containerIp(), hostIp,
                host.routes(), host.routeGet(t.containerIp()), ctrToHost, sysctls, neighbours,
                wireless(t.hostNs(), parent.name()));
    }

    @SuppressWarnings("unchecked")
    private static List<String> neighbours(Ip ip, int addr, String side) {
        ProcessRunner.Result r = ip.tryRun(List.of("-j", "neigh", "show", "to", Ipv4.format(addr)));
        List<String> out = new ArrayList<>();
        if (!r.ok() || r.stdout().isBlank()) {
            return out;
        }
        for (Object o : (List<Object>) Json.parse(r.stdout().strip())) {
            Map<String, Object> n = (Map<String, Object>) o;
            out.add(side + ": " + n.get("dst") + " dev " + n.get("dev")
                    + (n.get("lladdr") == null ? "" : " lladdr " + n.get("lladdr")) + " " + n.get("state"));
        }
        return out;
    }

    /** /proc/net/wireless lists the wireless interfaces of the reading thread's namespace. */
    private static boolean wireless(Netns ns, String iface) {
        return Namespaces.call(ns, () -> {
            Path p = Path.of("/proc/thread-self/net/wireless");
            try {
                return Files.exists(p) && Files.readAllLines(p).stream().anyMatch(l -> l.strip().startsWith(iface + ":"));
            } catch (IOException e) {
                return false;
            }
        });
    }
}
