package io.macvlandoctor.model;

/**
 * The target as the user gave it (the target options of the contract, docs/design.md); everything left null is discovered from the kernel.
 *
 * @param containerIp one address of the container (either family), or null
 * @param family which families to judge: "4", "6" or "all" (null: all the container has)
 * @param dockerNetwork every running container of this Docker macvlan network, or null
 * @param allDocker every running container of every macvlan network of the daemon
 */
public record TargetSpec(String lab, String hostNetns, String parent, String shim, Long containerPid,
                         String containerNetns, String containerIface, String containerIp, String container,
                         String dockerHost, String network, String family, String dockerNetwork, boolean allDocker) {
    public static TargetSpec lab(String name) {
        return new TargetSpec(name, null, null, null, null, null, null, null, null, null, null, null, null, false);
    }

    public TargetSpec withShim(String name) {
        return new TargetSpec(lab, hostNetns, parent, name, containerPid, containerNetns, containerIface, containerIp,
                container, dockerHost, network, family, dockerNetwork, allDocker);
    }

    /** The same host side, another container namespace (one of a lab's containers). */
    public TargetSpec withContainerNetns(String ns) {
        return new TargetSpec(lab, hostNetns, parent, shim, null, ns, containerIface, null, null, dockerHost, null,
                family, null, false);
    }

    /** The same host side, a Docker container by name or id on a network. */
    public TargetSpec withContainer(String name, String net) {
        return new TargetSpec(lab, hostNetns, parent, shim, null, null, containerIface, null, name, dockerHost, net,
                family, null, false);
    }

    /** The same host side, one container of a Docker daemon by id, on a network (--docker-network). */
    public TargetSpec withDockerContainer(String daemon, String id, String net) {
        return new TargetSpec(lab, hostNetns, parent, shim, null, null, containerIface, null, id, daemon, net,
                family, null, false);
    }

    /** Whether the options name Docker containers by network rather than one target. */
    public boolean dockerNetworks() {
        return dockerNetwork != null || allDocker;
    }

    /** Whether a family is to be judged. */
    public boolean wants(Family f) {
        return family == null || family.equals("all") || family.equals(f.id());
    }
}
