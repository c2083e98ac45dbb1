package io.macvlandoctor.model;

/**
 * An interface on the path as the checks know it.
 *
 * @param mac 0 when unknown
 * @param ip 0 when unknown or none
 * @param mode macvlan mode, null when not a macvlan or unknown
 */
public record Endpoint(String name, long mac, int ip, String mode, boolean up) {
    public String macText() {
        return mac == 0 ? "?" : Mac.format(mac);
    }

    public String ipText() {
        return ip == 0 ? "?" : Ipv4.format(ip);
    }
}
