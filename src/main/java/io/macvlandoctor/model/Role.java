package io.macvlandoctor.model;

/** What a capture point stands for on the path. */
public enum Role {
    /** The macvlan parent (ens33): sees the host's broadcasts leave, and unicast between children as ingress. */
    PARENT("parent", "host", "the macvlan parent"),
    /** The host-side macvlan (macvlan0-host). */
    SHIM("shim", "host", "the host-side macvlan"),
    /** The container's macvlan interface (eth0), inside its namespace. */
    CONTAINER("container", "container", "the container's macvlan interface"),
    /** The other side of the cable: in the lab, the LAN peer gw0. */
    WIRE("wire", "lan", "the LAN side of the parent");

    private final String id;
    private final String namespace;
    private final String description;

    Role(String id, String namespace, String description) {
        this.id = id;
        this.namespace = namespace;
        this.description = description;
    }

    public String id() {
        return id;
    }

    /** The namespace part of a capture point's name ("host" in host:ens33). */
    public String namespace() {
        return namespace;
    }

    /** The pcapng interface description our export writes and our reader reads back: "parent: the macvlan parent". */
    public String description() {
        return id + ": " + description;
    }

    public static Role fromId(String id) {
        for (Role r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }
}
