package io.macvlandoctor.target;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.docker.Docker;
import io.macvlandoctor.docker.DockerProblem;
import io.macvlandoctor.lab.LabDocker;
import io.macvlandoctor.lab.LabSpec;
import io.macvlandoctor.rules.NetworkParent;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.DockerContainer;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.InterfaceName;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.Namespaces;
import io.macvlandoctor.system.Parallel;
import io.macvlandoctor.system.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the target options into resolved targets, discovering from the kernel (and from Docker, for a container
 * named by Docker) whatever was not given: the container's namespace, macvlan interface and addresses, its parent
 * in the host namespace (even when the kernel names it only by ifindex and namespace id), the shim on that parent.
 */
public final class TargetResolver {
    private final ProcessRunner runner;

    public TargetResolver(ProcessRunner runner) {
        this.runner = runner;
    }

    /** What the host side looks like: the same for every container of one host, so read once for many. */
    private record HostView(List<Link> links, List<Route> routes, Link wire) {
    }

    /** One target. */
    public Target resolve(TargetSpec spec) {
        validate(spec);
        if (spec.dockerNetworks()) {
            throw new UsageException("--docker-network and --all-docker name several containers: verify and diagnose "
                    + "take them, and setup routes the network");
        }
        return resolve(spec, null, null);
    }

    /**
     * Every container the options name: the containers of a lab built with --containers N, the running containers
     * of a Docker macvlan network (--docker-network, --all-docker), else the one target. Each carries a label
     * ("ctr2"; a Docker container's name) when there are several.
     */
    public List<Target> resolveAll(TargetSpec spec) {
        validate(spec);
        if (spec.dockerNetworks()) {
            return dockerContainers(spec);
        }
        List<Target> lab = labContainers(spec);
        return lab.isEmpty() ? List.of(resolve(spec, null, null)) : lab;
    }

    /** The Docker daemon the options name: --docker-host, DOCKER_HOST or the default, or a --docker lab's own. */
    private static Docker docker(TargetSpec spec) {
        return spec.lab() != null && LabDocker.isDockerLab(spec.lab()) ? new Docker(LabDocker.host(spec.lab()))
                : Docker.of(spec.dockerHost());
    }

    /** The macvlan networks --docker-network or --all-docker names, with their running containers. */
    public static List<DockerNetwork> dockerNetworks(TargetSpec spec) {
        Docker d = docker(spec);
        if (spec.allDocker()) {
            List<DockerNetwork> all = d.macvlanNetworks();
            if (all.isEmpty()) {
                throw new EnvironmentException("Docker at " + d.host() + " has no macvlan network");
            }
            return all;
        }
        DockerNetwork n = d.network(spec.dockerNetwork());
        if (!n.isMacvlan()) {
            throw new UsageException("Docker network " + n.name() + " uses the " + n.driver() + " driver, not macvlan");
        }
        return List.of(n);
    }

    /** Every running container of the networks, the host side read once; labelled by name. */
    private List<Target> dockerContainers(TargetSpec spec) {
        Docker d = docker(spec);
        List<DockerNetwork> nets = dockerNetworks(spec);
        List<TargetSpec> each = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (DockerNetwork n : nets) {
            for (DockerNetwork.Member m : n.members()) {
                each.add(spec.withDockerContainer(d.host(), m.id(), n.name()));
                labels.add(m.name() + (spec.allDocker() && nets.size() > 1 ? "@" + n.name() : ""));
            }
        }
        if (each.isEmpty()) {
            throw new EnvironmentException("no running container on Docker network"
                    + (nets.size() == 1 ? " " + nets.get(0).name() : "s " + nets.stream().map(DockerNetwork::name)
                            .collect(Collectors.joining(", "))));
        }
        HostView view = hostView(hostNs(spec), spec.lab() != null ? LabSpec.lanNs(spec.lab()) : null);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
            idx.add(i);
        }
        return Parallel.map(idx, i -> resolve(each.get(i), view, labels.get(i)));
    }

    /** Resolves a spec that was validated already; known is the host side when read once for many. */
    private Target resolve(TargetSpec spec, HostView known, String label) {
        Netns hostNs = hostNs(spec);
        DockerContainer docker = dockerContainer(spec);
        Netns ctrNs = docker != null ? Netns.path("/proc/" + docker.pid() + "/ns/net")
                : spec.lab() != null && spec.containerNetns() == null ? LabSpec.containerNs(spec.lab())
                : containerNs(spec);
        Netns lanNs = spec.lab() != null ? LabSpec.lanNs(spec.lab()) : null;
        HostView view = known != null ? known : hostView(hostNs, lanNs);
        List<Link> hostLinks = view.links();

        Link ctrIface = null;
        Map<Family, IpAddress> ips;
        Link parent;
        // The Docker network's parent, before the container's interface: with the parent gone, the kernel removed
        // the interface too, and the missing parent is what to report.
        Link networkParent = docker != null && docker.network().parent() != null && spec.parent() == null
                ? dockerParent(docker, hostLinks, hostNs) : null;
        if (ctrNs != null) {
            Namespaces.requireExists(ctrNs);
            List<Link> ctrLinks = new Ip(ctrNs, runner).links();
            ctrIface = containerIface(spec, ctrNs, ctrLinks);
            ips = containerIps(spec, ctrIface, docker);
            if (networkParent != null) {
                parent = networkParent;
            } else {
                parent = spec.parent() != null ? find(hostLinks, spec.parent(), hostNs)
                        : parentOf(ctrIface, hostLinks, hostNs);
            }
        } else {
            if (spec.parent() == null || spec.containerIp() == null) {
                throw new UsageException("name the container (--container-netns or --container-pid), "
                        + "or give both --parent and --container-ip");
            }
            parent = find(hostLinks, spec.parent(), hostNs);
            IpAddress a = IpAddress.parse(spec.containerIp());
            ips = new EnumMap<>(Map.of(a.family(), a));
        }

        Link shim;
        String shimName;
        if (spec.shim() != null) {
            shimName = spec.shim();
            shim = hostLinks.stream().filter(l -> l.name().equals(shimName)).findFirst().orElse(null);
        } else {
            shim = discoverShim(hostLinks, parent, view.routes(), ips);
            shimName = shim == null ? freeName(hostLinks) : shim.name();
        }
        if (shimName.equals(parent.name())) {
            throw new UsageException("the shim cannot be the parent itself (" + shimName + ")");
        }
        Link wire = view.wire();
        return new Target(hostNs, parent, shim, shimName, ctrNs, ctrIface, ips, wire == null ? null : lanNs, wire,
                spec.lab(), docker, label != null ? label : docker != null && known != null ? docker.name() : null);
    }

    /** The name a new shim gets: the usual one, unless a link (on another parent) holds it already. */
    private static String freeName(List<Link> links) {
        String name = Target.DEFAULT_SHIM;
        for (int i = 1; taken(links, name); i++) {
            name = "macvlan" + i + "-host";
        }
        return name;
    }

    private static boolean taken(List<Link> links, String name) {
        return links.stream().anyMatch(l -> l.name().equals(name));
    }

    /**
     * The container's addresses of the families asked for: its first IPv4 address and its first global or
     * unique-local IPv6 one (link-local addresses are not judged), or what --container-ip or Docker says.
     */
    private static Map<Family, IpAddress> containerIps(TargetSpec spec, Link iface, DockerContainer docker) {
        Map<Family, IpAddress> ips = new EnumMap<>(Family.class);
        for (Family f : Family.values()) {
            Cidr c = iface.firstAddress(f);
            if (c != null) {
                ips.put(f, c.address());
            }
        }
        if (docker != null && spec.containerIp() == null) {
            if (docker.ip() != null) {
                ips.put(Family.V4, docker.ip());
            }
            if (docker.ipv6() != null) {
                ips.put(Family.V6, docker.ipv6());
            }
        }
        if (spec.containerIp() != null) {
            IpAddress a = IpAddress.parse(spec.containerIp());
            ips.put(a.family(), a);
        }
        ips.keySet().removeIf(f -> !spec.wants(f));
        if (ips.isEmpty()) {
            String which = spec.family() == null || spec.family().equals("all") ? "IPv4 or global IPv6"
                    : spec.family().equals("4") ? "IPv4" : "global IPv6";
            throw new EnvironmentException(iface.name() + " has no " + which + " address; give --container-ip");
        }
        return ips;
    }

    private HostView hostView(Netns hostNs, Netns lanNs) {
        Ip host = new Ip(hostNs, runner);
        Link wire = null;
        if (lanNs != null && Files.exists(lanNs.file())) {
            wire = new Ip(lanNs, runner).links().stream().filter(l -> "veth".equals(l.kind())).findFirst()
                    .orElse(null);
        }
        Ip.LinksAndRoutes lr = host.linksAndRoutes();
        return new HostView(lr.links(), lr.routes(), wire);
    }

    /** The Docker container named by --container, or the container of a lab built with --docker. */
    private static DockerContainer dockerContainer(TargetSpec spec) {
        if (spec.container() != null) {
            return docker(spec).container(spec.container(), spec.network());
        }
        if (spec.lab() != null && LabDocker.isDockerLab(spec.lab())) {
            return new Docker(LabDocker.host(spec.lab())).container(LabDocker.CONTAINER, null);
        }
        return null;
    }

    /** The network's parent option names an interface of the host namespace; a missing one is a diagnosis. */
    private static Link dockerParent(DockerContainer d, List<Link> hostLinks, Netns hostNs) {
        String name = d.network().parent();
        return hostLinks.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new DockerProblem(NetworkParent.of(d.network(), hostNs)));
    }

    /**
     * The containers of a lab built with --containers N, in order; a single-container lab gives none (the
     * ordinary target is its container).
     */
    public List<Target> labContainers(TargetSpec spec) {
        if (spec.lab() == null || spec.containerNetns() != null
                || !Files.exists(LabSpec.containerNs(spec.lab(), 2).file())) {
            return List.of();
        }
        List<TargetSpec> each = new ArrayList<>();
        for (int i = 1; Files.exists(LabSpec.containerNs(spec.lab(), i).file()); i++) {
            each.add(spec.withContainerNetns(LabSpec.containerNs(spec.lab(), i).ref()));
        }
        // The host side once; each container's interface through `ip` processes, several at a time.
        HostView view = hostView(hostNs(spec), LabSpec.lanNs(spec.lab()));
        String prefix = LabSpec.PREFIX + spec.lab() + "-";
        return Parallel.map(each, one -> resolve(one, view, one.containerNetns().substring(prefix.length())));
    }

    /** The host namespace alone: all that teardown needs. */
    public static Netns hostNs(TargetSpec spec) {
        Netns hostNs;
        if (spec.lab() != null) {
            LabSpec.validateName(spec.lab());
            hostNs = LabSpec.hostNs(spec.lab());
            if (!Files.exists(hostNs.file())) {
                throw new EnvironmentException("lab '" + spec.lab() + "' is not up (start it with: macvlan-doctor lab up"
                        + (spec.lab().equals(LabSpec.DEFAULT_NAME) ? "" : " --name " + spec.lab()) + ")");
            }
            Namespaces.requireNotCurrent(hostNs, "lab '" + spec.lab() + "'");
        } else {
            hostNs = spec.hostNetns() == null ? Netns.CURRENT : Netns.parse(spec.hostNetns());
        }
        Namespaces.requireExists(hostNs);
        return hostNs;
    }

    /** Checks the options alone, before anything touches the system. */
    public static void validate(TargetSpec spec) {
        if (spec.lab() != null && (spec.hostNetns() != null || spec.containerPid() != null
                || spec.containerNetns() != null && !spec.containerNetns().startsWith(LabSpec.PREFIX + spec.lab() + "-ctr"))) {
            throw new UsageException("--lab names the namespaces itself: leave out --host-netns and --container-pid "
                    + "(--container-netns may name one of the lab's containers, mvd-NAME-ctrN)");
        }
        int named = (spec.containerPid() != null ? 1 : 0) + (spec.containerNetns() != null ? 1 : 0)
                + (spec.container() != null ? 1 : 0);
        if (named > 1) {
            throw new UsageException("name the container once: --container, --container-pid or --container-netns");
        }
        if (spec.dockerNetworks() && (named > 0 || spec.containerIp() != null || spec.dockerNetwork() != null
                && spec.allDocker())) {
            throw new UsageException("--docker-network and --all-docker name the containers themselves: leave out "
                    + "--container, --container-pid, --container-netns and --container-ip, and give one of the two");
        }
        if (spec.lab() != null && spec.container() != null) {
            throw new UsageException("--lab names the container itself: leave out --container");
        }
        if (spec.container() == null && !spec.dockerNetworks() && spec.dockerHost() != null) {
            throw new UsageException("--docker-host goes with --container, --docker-network or --all-docker");
        }
        if (spec.container() == null && spec.network() != null) {
            throw new UsageException("--network goes with --container");
        }
        for (String name : new String[] {spec.parent(), spec.shim(), spec.containerIface()}) {
            if (name != null) {
                InterfaceName.validate(name);
            }
        }
        if (spec.containerIp() != null) {
            IpAddress.parse(spec.containerIp());
        }
        if (spec.family() != null && !List.of("4", "6", "all").contains(spec.family())) {
            throw new UsageException("--family " + spec.family() + ": 4, 6 or all");
        }
    }

    private static Netns containerNs(TargetSpec spec) {
        if (spec.containerPid() != null) {
            long pid = spec.containerPid();
            if (pid <= 0) {
                throw new UsageException("invalid PID " + pid);
            }
            Path p = Path.of("/proc", Long.toString(pid), "ns", "net");
            if (!Files.exists(Path.of("/proc", Long.toString(pid)))) {
                throw new EnvironmentException("no process with PID " + pid);
            }
            return Netns.path(p.toString());
        }
        return spec.containerNetns() == null ? null : Netns.parse(spec.containerNetns());
    }

    private static Link containerIface(TargetSpec spec, Netns ns, List<Link> links) {
        if (spec.containerIface() != null) {
            return find(links, spec.containerIface(), ns);
        }
        List<Link> macvlans = links.stream().filter(Link::isMacvlan).toList();
        if (macvlans.isEmpty()) {
            throw new EnvironmentException("no macvlan interface in " + ns.label()
                    + "; name the container's interface with --container-iface");
        }
        if (macvlans.size() > 1) {
            throw new UsageException("several macvlan interfaces in " + ns.label() + " ("
                    + macvlans.stream().map(Link::name).collect(Collectors.joining(", "))
                    + "): choose one with --container-iface");
        }
        return macvlans.get(0);
    }

    /** A container's macvlan names its parent by ifindex (link_index) in the host namespace (link_netnsid). */
    private static Link parentOf(Link ctrIface, List<Link> hostLinks, Netns hostNs) {
        if (ctrIface.parentIndex() > 0) {
            for (Link l : hostLinks) {
                if (l.index() == ctrIface.parentIndex()) {
                    return l;
                }
            }
        }
        throw new EnvironmentException("cannot find the parent of " + ctrIface.name() + " (ifindex "
                + ctrIface.parentIndex() + ") in " + hostNs.label() + "; give --parent");
    }

    /** The host-side macvlan on the parent; with several, the one the container's address is routed through. */
    private static Link discoverShim(List<Link> hostLinks, Link parent, List<Route> routes,
                                     Map<Family, IpAddress> ips) {
        List<Link> candidates = hostLinks.stream()
                .filter(l -> l.isMacvlan() && !l.parentElsewhere() && l.parentIndex() == parent.index()).toList();
        for (Link l : candidates) {
            for (IpAddress a : ips.values()) {
                if (routes.stream().anyMatch(r -> r.isHostRouteTo(a) && r.dev().equals(l.name()))) {
                    return l;
                }
            }
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private static Link find(List<Link> links, String name, Netns ns) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new EnvironmentException("interface " + name + " not found in " + ns.label()));
    }
}
