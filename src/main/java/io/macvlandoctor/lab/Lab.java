package io.macvlandoctor.lab;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.Signals;
import io.macvlandoctor.Trace;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.Namespaces;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the article's topology inside three network namespaces it creates (mvd-NAME-lan, -host, -ctr) and
 * removes them again. Every `ip` command names its namespace: nothing is ever added to the namespace the tool
 * runs in.
 */
public final class Lab {
    private static final Pattern LAB_NS = Pattern.compile("mvd-([a-z0-9][a-z0-9-]*)-(host|ctr[0-9]*|lan)");
    private static final List<String> FILTER_SYSCTLS = List.of("arp_ignore", "arp_filter", "rp_filter");

    private final ProcessRunner runner;

    public Lab(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Builds the lab; on any failure removes what it created and rethrows. Returns what it did, a line each. */
    public List<String> up(LabSpec spec, boolean fixed, List<Fault> faults) {
        return up(spec, fixed, faults, false);
    }

    /**
     * @param docker the container is a Docker container of a daemon confined to the lab's host namespace, on the
     *     article's macvlan network, instead of a namespace of the lab's own
     */
    public List<String> up(LabSpec spec, boolean fixed, List<Fault> faults, boolean docker) {
        return up(spec, fixed, faults, docker, 1);
    }

    /** @param containers how many containers (namespace labs only): mvd-NAME-ctr, mvd-NAME-ctr2, ... */
    public List<String> up(LabSpec spec, boolean fixed, List<Fault> faults, boolean docker, int containers) {
        spec.checkContainers(containers);
        if (docker && containers != 1) {
            throw new UsageException("--containers goes with namespace labs, not --docker");
        }
        List<Netns> all = new ArrayList<>(List.of(spec.lanNs(), spec.hostNs()));
        for (int i = 1; !docker && i <= containers; i++) {
            all.add(LabSpec.containerNs(spec.name(), i));
        }
        List<String> existing = namespaceNames();
        for (Netns ns : all) {
            if (existing.contains(ns.ref())) {
                throw new EnvironmentException("lab '" + spec.name() + "' already exists (" + ns.ref()
                        + "); remove it with: macvlan-doctor lab down --name " + spec.name());
            }
        }
        List<String> log = new ArrayList<>();
        try {
            StringBuilder add = new StringBuilder();
            all.forEach(ns -> add.append("netns add ").append(ns.ref()).append('\n'));
            ProcessRunner.Result r = runner.run(List.of("ip", "-batch", "-"), add.toString());
            if (!r.ok()) {
                throw new EnvironmentException("cannot create the lab's namespaces: " + r.firstErrorLine());
            }
            Trace.mark("lab namespaces made");
            for (Netns ns : all) {
                Namespaces.requireNotCurrent(ns, "lab '" + spec.name() + "'");
            }
            Map<String, Integer> known = new LinkedHashMap<>();
            for (String name : FILTER_SYSCTLS) {
                known.put(Sysctl.conf4("all", name), 0);
                known.put(Sysctl.conf4("default", name), 0);
            }
            // The lab's addresses need no duplicate address detection (they are the lab's own): no waiting for it.
            known.put(Sysctl.conf6("all", "accept_dad"), 0);
            known.put(Sysctl.conf6("default", "accept_dad"), 0);
            for (Netns ns : all) {
                // Known starting values: new namespaces copy IPv4 conf/all and conf/default from the root
                // namespace, and distributions ship rp_filter=2 there.
                new Sysctls(ns).write(known);
            }
            buildTopology(spec, docker, containers);
            Trace.mark("lab topology built");
            String six = spec.v6() == null ? "" : "  " + spec.v6().gateway() + "/" + spec.v6().prefix();
            log.add("LAN peer  " + spec.lanNs().ref() + "  " + spec.lanIface() + "  " + spec.gatewayIp() + "/"
                    + spec.prefix() + six);
            six = spec.v6() == null ? "" : "  " + spec.v6().host() + "/" + spec.v6().prefix();
            log.add("host      " + spec.hostNs().ref() + "  " + spec.parentIface() + "  " + spec.hostIp() + "/"
                    + spec.prefix() + six + "  (macvlan parent, veth to the LAN peer)");
            if (docker) {
                log.addAll(new LabDocker(runner).start(spec));
            } else {
                log.add("container " + spec.containerNs().ref() + "  " + spec.containerIface() + "  "
                        + spec.containerIp() + "/" + spec.prefix() + (spec.v6() == null ? "" : "  "
                        + spec.v6().container() + "/" + spec.v6().prefix()) + "  " + spec.containerMac()
                        + "  (bridge-mode macvlan child of " + spec.parentIface() + ")");
                if (containers > 1) {
                    log.add("          ... and " + (containers - 1) + " more: " + LabSpec.containerNs(spec.name(), 2).ref()
                            + " .. " + LabSpec.containerNs(spec.name(), containers).ref() + ", "
                            + spec.containerIp(2) + " .. " + spec.containerIp(containers));
                }
            }
            if (fixed || !faults.isEmpty()) {
                log.addAll(applyFix(spec, faults, docker ? 1 : containers));
            } else {
                log.add("no shim: the state before the article's fix (host and container cannot talk)");
            }
            return log;
        } catch (RuntimeException e) {
            // Interrupted or failed halfway: the half-built lab goes, whole, even while the signal is pending.
            Signals.uninterruptibly(() -> {
                removeHalfBuilt(spec, all, docker);
                return null;
            });
            throw e;
        }
    }

    /** One `ip -batch` per namespace, in the order the links need each other. */
    private void buildTopology(LabSpec spec, boolean docker, int containers) {
        String prefix = "/" + spec.prefix();
        LabSpec.V6 v6 = spec.v6();
        // Created under a temporary name so it cannot clash with a host-side name, then moved and renamed:
        // what Docker does with a container's macvlan interface.
        String tmp = "mvd-move";
        List<List<String>> lan = new ArrayList<>(List.of(
                List.of("link", "set", "lo", "up"),
                List.of("link", "add", spec.lanIface(), "type", "veth", "peer", "name", spec.parentIface(), "netns",
                        spec.hostNs().ref()),
                List.of("addr", "add", spec.gatewayIp() + prefix, "dev", spec.lanIface())));
        List<List<String>> host = new ArrayList<>(List.of(
                List.of("link", "set", "lo", "up"),
                List.of("addr", "add", spec.hostIp() + prefix, "dev", spec.parentIface())));
        if (v6 != null) {
            lan.add(List.of("addr", "add", v6.gateway() + "/" + v6.prefix(), "dev", spec.lanIface(), "nodad"));
            host.add(List.of("addr", "add", v6.host() + "/" + v6.prefix(), "dev", spec.parentIface(), "nodad"));
        }
        lan.add(List.of("link", "set", spec.lanIface(), "up"));
        host.add(List.of("link", "set", spec.parentIface(), "up"));
        ip(spec.lanNs()).batch(lan);
        if (docker) {
            // Docker creates the container's macvlan itself (docker network create -o parent=...).
            ip(spec.hostNs()).batch(host);
            return;
        }
        for (int i = 1; i <= containers; i++) {
            host.add(List.of("link", "add", "link", spec.parentIface(), "name", tmp + i, "netns",
                    LabSpec.containerNs(spec.name(), i).ref(), "address", spec.containerMac(i), "type", "macvlan",
                    "mode", "bridge"));
        }
        ip(spec.hostNs()).batch(host);
        for (int i = 1; i <= containers; i++) {
            List<List<String>> ctr = new ArrayList<>(List.of(
                    List.of("link", "set", "lo", "up"),
                    List.of("link", "set", tmp + i, "name", spec.containerIface()),
                    List.of("addr", "add", spec.containerIp(i) + prefix, "dev", spec.containerIface())));
            if (v6 != null) {
                ctr.add(List.of("addr", "add", spec.containerIp6(i) + "/" + v6.prefix(), "dev", spec.containerIface(),
                        "nodad"));
            }
            ctr.add(List.of("link", "set", spec.containerIface(), "up"));
            ctr.add(List.of("route", "add", "default", "via", spec.gatewayIp().toString()));
            ip(LabSpec.containerNs(spec.name(), i)).batch(ctr);
        }
    }

    /** The other parent of the shim-parent fault: a second veth pair, ens34 in the host, gw1 at the LAN peer. */
    static final String OTHER_PARENT = "ens34";

    private List<String> applyFix(LabSpec spec, List<Fault> faults, int containers) {
        List<String> log = new ArrayList<>();
        Ip host = ip(spec.hostNs());
        Sysctls sysctls = new Sysctls(spec.hostNs());
        String mode = "bridge";
        String parent = spec.parentIface();
        boolean up = true;
        boolean route = true;
        String ndp = null;
        IpAddress routeTo = spec.containerIp();
        IpAddress routeTo6 = spec.v6() == null ? null : spec.v6().container();
        for (Fault f : faults) {
            switch (f.kind()) {
                case SHIM_MODE -> mode = f.shimMode();
                case SHIM_DOWN -> up = false;
                case NO_ROUTE -> route = false;
                case ROUTE_MISMATCH -> {
                    routeTo = LabSpec.mistyped(routeTo);
                    routeTo6 = routeTo6 == null ? null : LabSpec.mistyped(routeTo6);
                }
                case SHIM_PARENT -> parent = OTHER_PARENT;
                case NDP_PROXY -> {
                    if (spec.v6() == null) {
                        throw new UsageException("fault ndp-proxy needs a dual-stack lab (lab up --ipv6)");
                    }
                    ndp = f.value();
                }
                default -> { }
            }
        }
        if (!parent.equals(spec.parentIface())) {
            ip(spec.lanNs()).batch(List.of(List.of("link", "add", "gw1", "type", "veth", "peer", "name", parent,
                    "netns", spec.hostNs().ref()), List.of("link", "set", "gw1", "up")));
            host.change(List.of("link", "set", parent, "up"));
        }
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(List.of("link", "add", "link", parent, "name", spec.shimIface(), "type", "macvlan", "mode", mode));
        cmds.add(List.of("link", "set", spec.shimIface(), "up"));
        log.add("shim      " + spec.hostNs().ref() + "  " + spec.shimIface() + "  (macvlan " + mode
                + " on " + parent + ", no address)");
        if (route) {
            cmds.add(List.of("route", "add", routeTo.toString(), "dev", spec.shimIface()));
            log.add("route     " + routeTo + " dev " + spec.shimIface());
            for (int i = 2; i <= containers; i++) {
                cmds.add(List.of("route", "add", spec.containerIp(i).toString(), "dev", spec.shimIface()));
            }
            if (routeTo6 != null) {
                // In a batch the family comes from the address: no -6 (ip -batch takes no options per line).
                cmds.add(List.of("route", "add", routeTo6.toString(), "dev", spec.shimIface()));
                log.add("route     " + routeTo6 + " dev " + spec.shimIface());
                for (int i = 2; i <= containers; i++) {
                    cmds.add(List.of("route", "add", spec.containerIp6(i).toString(), "dev", spec.shimIface()));
                }
            }
            if (containers > 1) {
                log.add("          ... and one for each of the other " + (containers - 1) + " containers");
            }
        }
        // IPv6: proxy NDP on the shim for the host's address (every piece unless a fault leaves it out).
        if (spec.v6() != null && !"all".equals(ndp)) {
            if (!"entry".equals(ndp)) {
                cmds.add(List.of("neigh", "add", "proxy", spec.v6().host().toString(), "dev", spec.shimIface()));
            }
            log.add("proxy NDP " + spec.shimIface() + " answers for " + spec.v6().host()
                    + (ndp == null ? "" : " (but without " + ndp + ")"));
        }
        if (!up) {
            // As on a real host: the route went in while the shim was up; taking the shim down makes the kernel
            // drop every route through it.
            cmds.add(List.of("link", "set", spec.shimIface(), "down"));
        }
        host.batch(cmds);
        if (spec.v6() != null && !"all".equals(ndp)) {
            Map<String, Integer> six = new LinkedHashMap<>();
            if (!"proxy_ndp".equals(ndp)) {
                six.put(Sysctl.conf6(spec.shimIface(), "proxy_ndp"), 1);
            }
            if (!"forwarding".equals(ndp)) {
                six.put(Sysctl.conf6(spec.shimIface(), "forwarding"), 1);
            }
            six.put(Sysctl.neigh6(spec.shimIface(), "proxy_delay"), 0);
            sysctls.write(six);
        }
        for (Fault f : faults) {
            switch (f.kind()) {
                case ARP_IGNORE -> sysctls.write(Sysctl.conf4("all", "arp_ignore"), 1);
                case ARP_FILTER -> sysctls.write(Sysctl.conf4("all", "arp_filter"), 1);
                case RP_FILTER -> sysctls.write(Sysctl.conf4("all", "rp_filter"), 1);
                case PARENT_DOWN -> host.change(List.of("link", "set", spec.parentIface(), "down"));
                case HOST_FIREWALL -> run(List.of("nsenter", "--net=" + spec.hostNs().file(), "iptables", "-A", "INPUT",
                        "-s", spec.containerIp().toString(), "-p", "icmp", "--icmp-type", "echo-request", "-j", "DROP"));
                case IP_CONFLICT -> ip(spec.lanNs()).change(List.of("addr", "add", spec.containerIp() + "/"
                        + spec.prefix(), "dev", spec.lanIface()));
                case LAN_MAC_FILTERED -> dropForeignMacs(spec);
                default -> { }
            }
            log.add("fault     " + f + ": " + f.kind().description());
        }
        return log;
    }

    /**
     * The LAN peer's port takes frames from the parent's own MAC only: what a hypervisor's virtual switch does when
     * it may not see "forged" source MACs. An ingress hook of the netdev family on the peer's end of the veth.
     */
    private void dropForeignMacs(LabSpec spec) {
        String parent = ip(spec.hostNs()).link(spec.parentIface()).map(Link::mac).orElseThrow(() ->
                new EnvironmentException("the lab's " + spec.parentIface() + " is gone"));
        String nft = "table netdev mvd_lab {\n chain port {\n  type filter hook ingress device " + spec.lanIface()
                + " priority 0; policy accept;\n  ether saddr != " + parent + " drop\n }\n}\n";
        ProcessRunner.Result r = runner.run(List.of("nsenter", "--net=" + spec.lanNs().file(), "nft", "-f", "-"),
                nft);
        if (!r.ok()) {
            throw new EnvironmentException("nft in the lab's LAN namespace failed: " + r.firstErrorLine());
        }
    }

    private void removeHalfBuilt(LabSpec spec, List<Netns> all, boolean docker) {
        if (docker && namespaceNames().contains(spec.hostNs().ref())) {
            new LabDocker(runner).stop(spec.name(), Namespaces.inode(spec.hostNs()));
        }
        List<String> now = namespaceNames();
        boolean any = false;
        for (Netns ns : all) {
            if (now.contains(ns.ref())) {
                runner.run(List.of("ip", "netns", "del", ns.ref()));
                any = true;
            }
        }
        if (any) {
            Signals.noteCleanup("removed the half-built lab '" + spec.name() + "'");
        }
    }

    /**
     * Removes the lab's namespaces and stops what runs inside them, whole: a signal that comes meanwhile waits for
     * it. Returns the namespaces removed.
     */
    public List<String> down(String name) {
        return Signals.uninterruptibly(() -> downWhole(name));
    }

    private List<String> downWhole(String name) {
        LabSpec.validateName(name);
        List<String> existing = namespaceNames();
        List<String> removed = new ArrayList<>();
        StringBuilder del = new StringBuilder();
        Netns hostNs = LabSpec.hostNs(name);
        if (existing.contains(hostNs.ref())) {
            Namespaces.requireNotCurrent(hostNs, "lab '" + name + "'");
            // The daemon first: it stops its containers and unmounts what it mounted.
            new LabDocker(runner).stop(name, Namespaces.inode(hostNs));
        }
        List<Netns> mine = new ArrayList<>();
        for (String n : existing) {
            Matcher m = LAB_NS.matcher(n);
            if (m.matches() && m.group(1).equals(name)) {
                mine.add(Netns.named(n));
            }
        }
        mine.sort((a, b) -> Boolean.compare(a.ref().endsWith("-lan") || a.ref().endsWith("-host"),
                b.ref().endsWith("-lan") || b.ref().endsWith("-host")));
        for (Netns ns : mine) {
            if (existing.contains(ns.ref())) {
                // Stopping "what runs inside" the machine's own namespace would stop everything.
                Namespaces.requireNotCurrent(ns, "lab '" + name + "'");
                stopProcessesIn(ns);
                forgetJournal(ns);
                del.append("netns del ").append(ns.ref()).append('\n');
                removed.add(ns.ref());
            }
        }
        if (!removed.isEmpty()) {
            Trace.mark("lab emptied");
            ProcessRunner.Result r = runner.run(List.of("ip", "-batch", "-"), del.toString());
            if (!r.ok()) {
                throw new EnvironmentException("cannot remove lab '" + name + "': " + r.firstErrorLine());
            }
        }
        return removed;
    }

    /** Lab names with the namespaces each has (host, ctr, lan). */
    public Map<String, List<String>> list() {
        Map<String, TreeSet<String>> labs = new TreeMap<>();
        for (String ns : namespaceNames()) {
            Matcher m = LAB_NS.matcher(ns);
            if (m.matches()) {
                labs.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        labs.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    private List<String> namespaceNames() {
        ProcessRunner.Result r = runner.run(List.of("ip", "-j", "netns", "list"));
        if (!r.ok()) {
            throw new EnvironmentException("ip netns list failed: " + r.firstErrorLine());
        }
        List<String> names = new ArrayList<>();
        if (!r.stdout().isBlank() && Json.parse(r.stdout().strip()) instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && m.get("name") != null) {
                    names.add(m.get("name").toString());
                }
            }
        }
        return names;
    }

    /**
     * Only processes inside the lab's own namespaces are stopped: the lab started them (a daemon, a ping left
     * over by a test), and nothing else can live in a namespace the lab created.
     */
    /** The journal of a namespace about to vanish has nothing left to undo: its directory goes with it. */
    private static void forgetJournal(Netns ns) {
        Path dir = Journal.DEFAULT_ROOT.resolve("netns-" + Namespaces.inode(ns));
        for (String f : List.of("journal.json", "journal.json.tmp", "lock")) {
            try {
                Files.deleteIfExists(dir.resolve(f));
            } catch (IOException e) {
                // Leaving a stale file behind in /run is harmless.
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty or not removable: harmless.
        }
    }

    private static void stopProcessesIn(Netns ns) {
        long inode = Namespaces.inode(ns);
        ProcessHandle.allProcesses().filter(p -> Namespaces.holds(inode, p.pid())).forEach(p -> {
            p.destroy();
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    private Ip ip(Netns ns) {
        return new Ip(ns, runner);
    }

    private void run(List<String> argv) {
        ProcessRunner.Result r = runner.run(argv);
        if (!r.ok()) {
            throw new EnvironmentException(String.join(" ", argv) + " failed: " + r.firstErrorLine());
        }
    }
}
