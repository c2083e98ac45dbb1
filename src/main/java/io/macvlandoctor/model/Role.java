package io.macvlandoctor.model;

/** What a capture point stands for on the path. */
public enum Role {
    /** The macvlan parent (ens33): sees the host's broadcasts leave, and unicast between children as ingress. */
    PARENT("parent"),
    /** The host-side macvlan (macvlan0-host). */
    SHIM("shim"),
    /** The container's macvlan interface (eth0), inside its namespace. */
    CONTAINER("container"),
    /** The other side of the cable: in the lab, the LAN peer gw0. */
    WIRE("wire");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
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
