package io.macvlandoctor.model;

/**
 * A place where frames are captured, named as in the pcapng export: {@code <namespace-role>:<iface>}
 * (host:ens33, host:macvlan0-host, container:eth0, lan:gw0).
 */
public record CapturePoint(Role role, String name) {
    /** A point named after its interface; a name that already says its namespace ("host:ens33") is kept. */
    public static CapturePoint of(Role role, String iface) {
        if (iface.contains(":")) {
            return new CapturePoint(role, iface);
        }
        String ns = switch (role) {
            case PARENT, SHIM -> "host";
            case CONTAINER -> "container";
            case WIRE -> "lan";
        };
        return new CapturePoint(role, ns + ":" + iface);
    }

    /** The interface part of the name. */
    public String iface() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
