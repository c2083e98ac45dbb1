package io.macvlandoctor.model;

/**
 * One route of the main table (`ip -j route show`).
 *
 * @param dst the destination; null for the default route
 * @param gateway the next hop, or null for a directly connected route
 */
public record Route(Cidr dst, String dev, String gateway, String prefsrc, String scope) {
    public boolean isHostRouteTo(int ip) {
        return dst != null && dst.prefix() == 32 && dst.address() == ip;
    }

    /** As `ip route` prints it, so a user can paste it into `ip route del`. */
    public String describe() {
        StringBuilder sb = new StringBuilder(dst == null ? "default" : dst.prefix() == 32 ? dst.ip() : dst.toString());
        if (gateway != null) {
            sb.append(" via ").append(gateway);
        }
        sb.append(" dev ").append(dev);
        return sb.toString();
    }
}
