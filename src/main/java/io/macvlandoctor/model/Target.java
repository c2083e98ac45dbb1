package io.macvlandoctor.model;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A resolved target: the host namespace with the macvlan parent, the shim (when there is one), the container's
 * namespace, interface and addresses, and in the lab the LAN peer that stands for the wire.
 *
 * @param shim the existing shim, or null; shimName is its name, or the name setup would give it
 * @param containerNs null when the target names only the container's address (setup without a namespace)
 * @param containerIps the container's addresses to judge, per family (the families asked for that it has)
 * @param lanNs the lab's LAN peer namespace, null outside the lab
 * @param docker the Docker container and its macvlan network, when the target was named through Docker
 * @param label what tells this container from others of one run ("ctr7", a Docker name), null for a single one
 */
public record Target(Netns hostNs, Link parent, Link shim, String shimName, Netns containerNs, Link containerIface,
                     Map<Family, IpAddress> containerIps, Netns lanNs, Link wire, String labName,
                     DockerContainer docker, String label) {
    public static final String DEFAULT_SHIM = "macvlan0-host";

    public Target {
        containerIps = Map.copyOf(containerIps);
    }

    public IpAddress containerIp(Family f) {
        return containerIps.get(f);
    }

    /** The container's IPv4 address, or its IPv6 one when it has no IPv4. */
    public IpAddress containerIp() {
        IpAddress v4 = containerIps.get(Family.V4);
        return v4 != null ? v4 : containerIps.get(Family.V6);
    }

    public List<Family> families() {
        return Family.presentIn(containerIps);
    }

    public Target withLabel(String l) {
        return new Target(hostNs, parent, shim, shimName, containerNs, containerIface, containerIps, lanNs, wire,
                labName, docker, l);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("host ").append(hostNs.kind() == Netns.Kind.CURRENT ? "(current namespace)" : hostNs.ref())
                .append(": parent ").append(parent.name());
        sb.append(", shim ").append(shim == null ? "(none)" : shim.name());
        sb.append("; container ");
        if (containerNs != null) {
            sb.append(containerNs.ref()).append(": ").append(containerIface.name()).append(' ');
        }
        sb.append(families().stream().map(f -> containerIps.get(f).toString()).collect(Collectors.joining(" ")));
        if (docker != null) {
            sb.append(" (Docker ").append(docker.name()).append(" on ").append(docker.network().name()).append(')');
        }
        return sb.toString();
    }
}
