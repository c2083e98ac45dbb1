package io.macvlandoctor.model;

/**
 * The target as the user gave it (DESIGN §4 target options); everything left null is discovered from the kernel.
 */
public record TargetSpec(String lab, String hostNetns, String parent, String shim, Long containerPid,
                         String containerNetns, String containerIface, String containerIp) {
    public static TargetSpec lab(String name) {
        return new TargetSpec(name, null, null, null, null, null, null, null);
    }
}
