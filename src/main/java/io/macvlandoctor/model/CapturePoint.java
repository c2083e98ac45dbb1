package io.macvlandoctor.model;

/**
 * A place where frames are captured, named as in the pcapng export: {@code <namespace-role>:<iface>} (host:ens33,
 * host:macvlan0-host, container:eth0, lan:gw0). When one run captures several containers, each container's point
 * carries its label after the interface: container:eth0@ctr7.
 */
public record CapturePoint(Role role, String name) {
    /** A point named after its interface; a name that already says its namespace ("host:ens33") is kept. */
    public static CapturePoint of(Role role, String iface) {
        if (iface.contains(":")) {
            return new CapturePoint(role, iface);
        }
        return new CapturePoint(role, role.namespace() + ":" + iface);
    }

    /** A container's point labelled with the container it belongs to (label null: unlabelled). */
    public static CapturePoint ofContainer(String iface, String label) {
        return new CapturePoint(Role.CONTAINER, Role.CONTAINER.namespace() + ":" + iface
                + (label == null ? "" : "@" + label));
    }

    /** The interface part of the name. */
    public String iface() {
        int colon = name.indexOf(':');
        String rest = colon < 0 ? name : name.substring(colon + 1);
        int at = rest.indexOf('@');
        return at < 0 ? rest : rest.substring(0, at);
    }

    @Override
    public String toString() {
        return name;
    }

    // Written out, as IpAddress's are (see there).
    @Override
    public boolean equals(Object o) {
        return o instanceof CapturePoint p && p.role == role && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return role.ordinal() * 31 + name.hashCode();
    }
}
