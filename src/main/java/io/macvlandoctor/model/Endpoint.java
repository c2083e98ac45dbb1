package io.macvlandoctor.model;

/**
 * An interface on the path as the checks know it. What is not known is left out (0 or null): the checks that need
 * it are then unproven, never guessed.
 *
 * @param mac 0 when unknown
 * @param ip its IPv4 address, null when unknown or none
 * @param ipv6 its global or unique-local IPv6 address, null when unknown or none
 * @param mode macvlan mode, null when not a macvlan or unknown
 */
public record Endpoint(String name, long mac, IpAddress ip, IpAddress ipv6, String mode, boolean up) {
    public String macText() {
        return mac == 0 ? "?" : Mac.format(mac);
    }

    public IpAddress ip(Family f) {
        return f == Family.V4 ? ip : ipv6;
    }

    public String ipText() {
        return ip == null ? "?" : ip.toString();
    }
}
