package io.macvlandoctor.model;

/**
 * A container as the Docker Engine reports it, on the network the tool looks at.
 *
 * @param pid the container's init process, 0 when it is not running
 * @param ip its address on that network, 0 when unknown
 */
public record DockerContainer(String name, String id, long pid, boolean running, DockerNetwork network, int ip,
                              String mac) {
}
