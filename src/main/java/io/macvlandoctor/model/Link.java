package io.macvlandoctor.model;

import java.util.List;

/**
 * A network interface as `ip -j -d addr show` reports it.
 *
 * @param parentIndex the lower device's ifindex for macvlan/vlan/veth ("link_index"), or 0
 * @param parentNetnsId the namespace id of the lower device when it lives in another namespace, or -1
 * @param macvlanMode "bridge", "private", "vepa", "passthru" or "source" for macvlan links, else null
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

    public Cidr firstAddress() {
        return addresses.isEmpty() ? null : addresses.get(0);
    }

    public boolean hasAddress(int ip) {
        return addresses.stream().anyMatch(c -> c.address() == ip);
    }
}
