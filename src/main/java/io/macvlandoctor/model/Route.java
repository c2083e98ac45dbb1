package io.macvlandoctor.model;

/**
 * One route (`ip -j route show`, either family): of the main table unless it says which.
 *
 * @param dst the destination; null for the default route
 * @param gateway the next hop, or null for a directly connected route
 * @param protocol who added it ("boot", "kernel", "static", "dhcp", a number), null when not known
 * @param table the table it is in ("77", "local"); null for main
 */
public record Route(Cidr dst, String dev, String gateway, String prefsrc, String scope, String protocol,
                    Integer metric, String table) {
    public Route(Cidr dst, String dev, String gateway, String prefsrc, String scope) {
        this(dst, dev, gateway, prefsrc, scope, null, null, null);
    }

    /** A route of the main table. */
    public Route(Cidr dst, String dev, String gateway, String prefsrc, String scope, String protocol, Integer metric) {
        this(dst, dev, gateway, prefsrc, scope, protocol, metric, null);
    }

    public boolean inMain() {
        return table == null || table.equals("main") || table.equals("254");
    }

    public Family family() {
        return dst != null ? dst.family() : gateway != null && gateway.contains(":") ? Family.V6 : Family.V4;
    }

    public boolean isHostRouteTo(IpAddress ip) {
        return dst != null && dst.isHost() && dst.address().equals(ip);
    }

    /** A prefix route (not a default route) that covers ip. */
    public boolean covers(IpAddress ip) {
        return dst != null && dst.contains(ip);
    }

    /** As `ip route` prints it, so a user can paste it into `ip route del`. */
    public String describe() {
        StringBuilder sb = new StringBuilder(dst == null ? "default" : dst.destination());
        if (gateway != null) {
            sb.append(" via ").append(gateway);
        }
        sb.append(" dev ").append(dev);
        if (!inMain()) {
            sb.append(" table ").append(table);
        }
        return sb.toString();
    }
}
