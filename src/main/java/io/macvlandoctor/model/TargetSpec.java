package io.macvlandoctor.model;

/**
 * The target as the user gave it (DESIGN §4 target options); everything left null is discovered from the kernel.
 *
 * @param containerIp one address of the container (either family), or null
 * @param family which families to judge: "4", "6" or "all" (null: all the container has)
 */
public record TargetSpec(String lab, String hostNetns, String parent, String shim, Long containerPid,
                         String containerNetns, String containerIface, String containerIp, String container,
                         String dockerHost, String network, String family) {
    public static TargetSpec lab(String name) {
        return new TargetSpec(name, null, null, null, null, null, null, null, null, null, null, null);
    }

    public TargetSpec withShim(String name) {
        return new TargetSpec(lab, hostNetns, parent, name, containerPid, containerNetns, containerIface, containerIp,
                container, dockerHost, network, family);
    }

    /** The same host side, another container namespace (one of a lab's containers). */
    public TargetSpec withContainerNetns(String ns) {
        return new TargetSpec(lab, hostNetns, parent, shim, null, ns, containerIface, null, null, dockerHost, null,
                family);
    }

    /** The same host side, a Docker container by name. */
    public TargetSpec withContainer(String name, String net) {
        return new TargetSpec(lab, hostNetns, parent, shim, null, null, containerIface, null, name, dockerHost, net,
                family);
    }

    /** Whether a family is to be judged. */
    public boolean wants(Family f) {
        return family == null || family.equals("all") || family.equals(f.id());
    }
}
