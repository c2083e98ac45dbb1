package io.macvlandoctor.model;

/**
 * A neighbour entry as the kernel holds it (`ip neigh`), or a proxy entry (`ip -6 neigh add proxy`).
 *
 * @param side whose table it is in
 * @param mac null when the entry has no link-layer address (INCOMPLETE, FAILED, proxy entries)
 */
public record Neighbour(Side side, IpAddress ip, String dev, String mac, String state, boolean proxy) {
    /** As `ip neigh` prints it. */
    public String describe() {
        return side + ": " + ip + " dev " + dev + (mac == null ? "" : " lladdr " + mac)
                + (proxy ? " proxy" : state == null ? "" : " " + state);
    }
}
