package io.macvlandoctor.model;

import java.util.List;

/**
 * A Docker network as `docker network inspect` describes it, with what matters for macvlan.
 *
 * @param parent the "parent" driver option (the host interface), or null
 * @param mode the "macvlan_mode" driver option; Docker's default is bridge
 * @param pools the IPAM configurations (one per subnet: IPv4, IPv6)
 * @param members the running containers attached to it
 */
public record DockerNetwork(String name, String id, String driver, String parent, String mode, List<Pool> pools,
                            List<Member> members) {
    public DockerNetwork {
        pools = List.copyOf(pools);
        members = List.copyOf(members);
    }

    /** A running container on the network, with its addresses there (null where it has none). */
    public record Member(String id, String name, IpAddress ip, IpAddress ipv6) {
    }

    /**
     * One IPAM configuration.
     *
     * @param ipRange the --ip-range, or null
     * @param auxAddresses the --aux-address reservations by name
     */
    public record Pool(Cidr subnet, String gateway, Cidr ipRange, java.util.Map<String, String> auxAddresses) {
    }

    public boolean isMacvlan() {
        return "macvlan".equals(driver);
    }

    public Pool pool(Family f) {
        return pools.stream().filter(p -> p.subnet() != null && p.subnet().family() == f).findFirst().orElse(null);
    }

    public Cidr subnet() {
        Pool p = pool(Family.V4);
        return p == null ? null : p.subnet();
    }

    public Cidr ipRange() {
        Pool p = pool(Family.V4);
        return p == null ? null : p.ipRange();
    }
}
