package io.macvlandoctor.model;

/**
 * A resolved target: the host namespace with the macvlan parent, the shim (when there is one), the container's
 * namespace and interface, and in the lab the LAN peer that stands for the wire.
 *
 * @param shim the existing shim, or null; shimName is its name, or the name setup would give it
 * @param containerNs null when the target names only the container's address (setup without a namespace)
 * @param lanNs the lab's LAN peer namespace, null outside the lab
 * @param docker the Docker container and its macvlan network, when the target was named by --container
 */
public record Target(Netns hostNs, Link parent, Link shim, String shimName, Netns containerNs, Link containerIface,
                     int containerIp, Netns lanNs, Link wire, String labName, DockerContainer docker) {
    public static final String DEFAULT_SHIM = "macvlan0-host";

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("host ").append(hostNs.kind() == Netns.Kind.CURRENT ? "(current namespace)" : hostNs.ref())
                .append(": parent ").append(parent.name());
        sb.append(", shim ").append(shim == null ? "(none)" : shim.name());
        sb.append("; container ");
        if (containerNs != null) {
            sb.append(containerNs.ref()).append(": ").append(containerIface.name()).append(' ');
        }
        sb.append(Ipv4.format(containerIp));
        if (docker != null) {
            sb.append(" (Docker ").append(docker.name()).append(" on ").append(docker.network().name()).append(')');
        }
        return sb.toString();
    }
}
