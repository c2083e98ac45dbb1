package io.macvlandoctor.analysis;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Link;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's address management knows nothing of the shim: an address of the shim inside the range Docker allocates
 * from (the network's ip-range, or its whole subnet when it has none), with no --aux-address reserving it, will be
 * handed to a container sooner or later, and then host and container claim one address. Reported whether or not
 * the path works today. Pure.
 */
public final class IpamHazards {
    private IpamHazards() {
    }

    public static List<Diagnosis> of(Link shim, DockerNetwork n) {
        List<Diagnosis> out = new ArrayList<>();
        if (shim == null || n == null) {
            return out;
        }
        for (Family f : Family.values()) {
            DockerNetwork.Pool pool = n.pool(f);
            if (pool == null) {
                continue;
            }
            Cidr range = pool.ipRange() != null ? pool.ipRange() : pool.subnet();
            for (Cidr a : shim.addresses()) {
                if (a.family() != f || a.address().isLinkLocal() || !range.contains(a.address())
                        || pool.auxAddresses().containsValue(a.address().toString())
                        || a.address().toString().equals(pool.gateway())) {
                    continue;
                }
                out.add(new Diagnosis(Cause.IPAM_OVERLAP, f, "the shim's own address " + a.address() + " lies in "
                        + range + ", which Docker network " + n.name() + " hands out to containers, and no "
                        + "--aux-address reserves it: the next container may get it (a hazard: the path may work "
                        + "today)", List.of(shim.name() + " has " + a, "docker network " + n.name() + ": "
                                + (pool.ipRange() != null ? "ip-range " : "subnet (no ip-range) ") + range
                                + (pool.auxAddresses().isEmpty() ? ", no --aux-address"
                                        : ", --aux-address " + pool.auxAddresses())), List.of(), List.of(),
                        List.of("reserve it in Docker: docker network create ... --aux-address shim=" + a.address()
                                + " (a network's reservations are set when it is created)", "or give the shim an "
                                + "address outside " + range)));
            }
        }
        return out;
    }
}
