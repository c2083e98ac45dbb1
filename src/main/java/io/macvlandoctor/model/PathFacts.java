package io.macvlandoctor.model;

import java.util.Set;

/**
 * What the checks compare frames with: the three interfaces of the path and the kernel's own routing choice.
 *
 * @param shim null when the host has no shim on the parent
 * @param hostIp the host address the container talks to (the parent's)
 * @param expectedSrcIp the source address of host-to-container traffic per `ip route get` (0 when unknown)
 * @param routeDev the device of that route (null when unknown)
 * @param captured the roles that were captured; a check about a point that was not captured is skipped
 */
public record PathFacts(Endpoint parent, Endpoint shim, Endpoint container, int hostIp, int expectedSrcIp,
                        String routeDev, Set<Role> captured) {
    public PathFacts {
        captured = Set.copyOf(captured);
    }

    /** The same facts for the roles that were in the end captured (an interface can vanish while opening). */
    public PathFacts withCaptured(Set<Role> roles) {
        return roles.equals(captured) ? this
                : new PathFacts(parent, shim, container, hostIp, expectedSrcIp, routeDev, roles);
    }

    /** "the shim macvlan0-host", "the parent ens33", ... for a MAC address, or the address itself. */
    public String nameOfMac(long mac) {
        if (shim != null && shim.mac() == mac) {
            return "the shim " + shim.name() + " (" + Mac.format(mac) + ")";
        }
        if (parent != null && parent.mac() == mac) {
            return "the parent " + parent.name() + " (" + Mac.format(mac) + ")";
        }
        if (container != null && container.mac() == mac) {
            return "the container's " + container.name() + " (" + Mac.format(mac) + ")";
        }
        return Mac.format(mac);
    }
}
