package io.macvlandoctor.model;

/**
 * The target as the user gave it (DESIGN §4 target options); everything left null is discovered from the kernel.
 */
public record TargetSpec(String lab, String hostNetns, String parent, String shim, Long containerPid,
                         String containerNetns, String containerIface, String containerIp, String container,
                         String dockerHost, String network) {
    public static TargetSpec lab(String name) {
        return new TargetSpec(name, null, null, null, null, null, null, null, null, null, null);
    }

    public TargetSpec withShim(String name) {
        return new TargetSpec(lab, hostNetns, parent, name, containerPid, containerNetns, containerIface, containerIp,
                container, dockerHost, network);
    }
}
