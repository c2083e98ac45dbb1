package io.macvlandoctor.model;

/** The kernel's own choice for a destination (`ip -j route get`): the device and the source address. */
public record RouteLookup(String dst, String dev, String prefsrc, String gateway) {
    /** "ip route get X -> dev D src S" */
    public static String describe(RouteLookup r, IpAddress dst) {
        return "ip route get " + dst + " -> " + (r == null ? "unreachable"
                : "dev " + r.dev() + (r.gateway() == null ? "" : " via " + r.gateway())
                        + (r.prefsrc() == null ? "" : " src " + r.prefsrc()));
    }
}
