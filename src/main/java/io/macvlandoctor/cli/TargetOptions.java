package io.macvlandoctor.cli;

import io.macvlandoctor.model.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The target options of the contract (docs/design.md), shared by verify, diagnose, setup, teardown and shell. */
public final class TargetOptions {
    @Option(names = "--lab", paramLabel = "NAME", description = "Use the built-in lab NAME (see 'lab up').")
    String lab;

    @Option(names = "--host-netns", paramLabel = "NAME|PATH",
            description = "Namespace of the host side (the parent and the shim); default: the current one.")
    String hostNetns;

    @Option(names = "--parent", paramLabel = "IFACE", completionCandidates = InterfaceCandidates.class,
            description = "The macvlan parent; default: discovered from the container's interface.")
    String parent;

    @Option(names = "--shim", paramLabel = "IFACE", completionCandidates = InterfaceCandidates.class,
            description = "The host-side macvlan; default: the one on the parent, or macvlan0-host for setup.")
    String shim;

    @Option(names = "--container", paramLabel = "NAME|ID",
            description = "A Docker container: its namespace, macvlan network, parent and address come from Docker.")
    String container;

    @Option(names = "--docker-host", paramLabel = "URI",
            description = "The Docker daemon (default: DOCKER_HOST, else unix:///var/run/docker.sock).")
    String dockerHost;

    @Option(names = "--network", paramLabel = "NAME",
            description = "With --container on several macvlan networks: the one to look at.")
    String network;

    @Option(names = "--docker-network", paramLabel = "NAME",
            description = "Every running container of this Docker macvlan network, in one run.")
    String dockerNetwork;

    @Option(names = "--all-docker", description = "Every running container of every macvlan network of the Docker "
            + "daemon, in one run.")
    boolean allDocker;

    @Option(names = "--container-pid", paramLabel = "PID",
            description = "A process in the container (Docker, Podman, LXC, a Kubernetes pod: see the README); its "
                + "network namespace is used.")
    Long containerPid;

    @Option(names = "--container-netns", paramLabel = "NAME|PATH", description = "The container's network namespace.")
    String containerNetns;

    @Option(names = "--container-iface", paramLabel = "IFACE", completionCandidates = InterfaceCandidates.class,
            description = "The container's macvlan interface; default: the only macvlan in its namespace.")
    String containerIface;

    @Option(names = "--container-ip", paramLabel = "IP",
            description = "The container's address (either family); default: the addresses of its interface.")
    String containerIp;

    @Option(names = "--family", paramLabel = "4|6|all",
            description = "Which address families to judge (default: all the container has; link-local IPv6 is "
                + "never judged).")
    String family;

    /** The options that name the host namespace, as a user would retype them (for "undo with: ..." hints). */
    public String hostArgs() {
        if (lab != null) {
            return " --lab " + lab;
        }
        return hostNetns == null ? "" : " --host-netns " + hostNetns;
    }

    /** The target options as given, to repeat them (the shell adds them to the commands typed in it). */
    public List<String> args() {
        List<String> a = new ArrayList<>();
        String[][] pairs = {{"--lab", lab}, {"--host-netns", hostNetns}, {"--parent", parent}, {"--shim", shim},
            {"--container-pid", containerPid == null ? null : containerPid.toString()},
            {"--container-netns", containerNetns}, {"--container-iface", containerIface},
            {"--container-ip", containerIp}, {"--container", container}, {"--docker-host", dockerHost},
            {"--network", network}, {"--family", family}, {"--docker-network", dockerNetwork}};
        for (String[] p : pairs) {
            if (p[1] != null) {
                a.add(p[0]);
                a.add(p[1]);
            }
        }
        if (allDocker) {
            a.add("--all-docker");
        }
        return a;
    }

    public TargetSpec spec() {
        return new TargetSpec(lab, hostNetns, parent, shim, containerPid, containerNetns, containerIface, containerIp,
                container, dockerHost, network, family, dockerNetwork, allDocker);
    }
}
