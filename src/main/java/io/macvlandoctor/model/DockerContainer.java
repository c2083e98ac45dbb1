package io.macvlandoctor.model;

/**
 * A container as the Docker Engine reports it, on the network the tool looks at.
 *
 * @param pid the container's init process, 0 when it is not running
 * @param ip its IPv4 address on that network, null when none
 * @param ipv6 its global IPv6 address on that network, null when none
 */
public record DockerContainer(String name, String id, long pid, boolean running, DockerNetwork network, IpAddress ip,
                              IpAddress ipv6, String mac) {
}
