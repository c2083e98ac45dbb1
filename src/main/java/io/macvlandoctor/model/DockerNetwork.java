package io.macvlandoctor.model;

/**
 * A Docker network as `docker network inspect` describes it, with what matters for macvlan.
 *
 * @param parent the "parent" driver option (the host interface), or null
 * @param mode the "macvlan_mode" driver option; Docker's default is bridge
 * @param ipRange the IPAM ip-range, or null
 */
public record DockerNetwork(String name, String driver, String parent, String mode, Cidr subnet, String gateway,
                            Cidr ipRange) {
    public boolean isMacvlan() {
        return "macvlan".equals(driver);
    }
}
