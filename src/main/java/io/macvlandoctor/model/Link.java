package io.macvlandoctor.model;

import java.util.List;

/**
 * A network interface as the kernel reports it (`ip -j -d addr show`).
 *
 * @param parentIndex the lower device's ifindex for macvlan/vlan/veth ("link_index"), or 0
 * @param parentNetnsId the namespace id of the lower device when it lives in another namespace, or -1
 * @param macvlanMode "bridge", "private", "vepa", "passthru" or "source" for macvlan links, else null
 * @param addresses IPv4 and IPv6 addresses, as configured
 */
public record Link(int index, String name, String mac, boolean adminUp, String operState, String kind,
                   String macvlanMode, int parentIndex, int parentNetnsId, List<Cidr> addresses) {
    public Link {
        addresses = List.copyOf(addresses);
    }

    public boolean isMacvlan() {
        return "macvlan".equals(kind);
    }

    /** The lower device is in another namespace (a container's macvlan, a veth whose peer moved). */
    public boolean parentElsewhere() {
        return parentNetnsId >= 0;
    }

    /** The first IPv4 address. */
    public Cidr firstAddress() {
        return firstAddress(Family.V4);
    }

    /** The first address of the family that the checks judge: for IPv6 a global or unique-local one. */
    public Cidr firstAddress(Family f) {
        for (Cidr c : addresses) {
            if (c.family() == f && !c.address().isLinkLocal()) {
                return c;
            }
        }
        return null;
    }

    public boolean hasAddress(IpAddress ip) {
        return addresses.stream().anyMatch(c -> c.address().equals(ip));
    }

    public boolean hasAddress(Family f) {
        return addresses.stream().anyMatch(c -> c.family() == f && !c.address().isLinkLocal());
    }

    /** No lower layer: down, no carrier, or its own lower device is down (a VLAN or bond on a dead link). */
    public boolean carrierLost() {
        return "DOWN".equals(operState) || "LOWERLAYERDOWN".equals(operState) || "NOTPRESENT".equals(operState);
    }

    public long macBits() {
        return mac == null ? 0 : Mac.parse(mac);
    }
}
