package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * ipam-overlap: Docker's address management knows nothing of the shim. Two ways it bites: the host routes the
 * network's ip-range through the shim and a container's address lies outside it (a static --ip, a range changed
 * later), so that container is left to the parent; or the shim's own address lies in the range Docker hands out,
 * with no --aux-address reserving it, so a container will get it sooner or later (a hazard, reported whether or not
 * the path works today).
 */
public final class IpamOverlap implements Rule {
    @Override
    public Cause cause() {
        return Cause.IPAM_OVERLAP;
    }

    @Override
    public Stage stage() {
        return Stage.ROUTE;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        Family f = c.family();
        String shim = c.shim();
        RouteLookup get = c.k().hostToContainer().get(f);
        DockerNetwork.Pool pool = c.ctx().network() == null ? null : c.ctx().network().pool(f);
        IpAddress ctr = c.ctr();
        if (get != null && shim.equals(get.dev()) || !(c.run().hostFailed() || c.run().containerFailed())
                || c.foundFor(Cause.IPV6_DISABLED, Cause.POLICY_ROUTE) != null
                || pool == null || pool.ipRange() == null || pool.ipRange().contains(ctr)) {
            return List.of();
        }
        Cidr range = pool.ipRange().network();
        boolean routed = c.k().mainRoutes().stream().anyMatch(r -> shim.equals(r.dev()) && range.equals(r.dst()));
        if (!routed) {
            return List.of();
        }
        var ev = Evidence.leftViaParent(c.run().exchanges());
        String where = get == null ? "nowhere" : get.dev();
        return List.of(new Diagnosis(cause(), f, ctr + " lies outside " + range + ", the ip-range of Docker network "
                + c.ctx().network().name() + " that the host routes through " + shim + ": the container goes through "
                + where + Evidence.describeLeft(ev, where, f), List.of("route " + range + " dev " + shim,
                        "docker network " + c.ctx().network().name() + ": ip-range " + range + ", subnet "
                                + pool.subnet(), RouteLookup.describe(get, ctr)), ev,
                List.of(Fixes.route(c, f, shim, false)), List.of("containers given addresses outside the ip-range "
                        + "(docker run --ip) need a route of their own; or keep --ip inside the ip-range")));
    }

    /** The shim's own address inside the range Docker allocates from (its ip-range, or its whole subnet). */
    public static List<Diagnosis> hazards(Link shim, DockerNetwork n) {
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

    @Override
    public List<Diagnosis> hazards(Context c) {
        return hazards(c.k().shim(), c.network());
    }
}
