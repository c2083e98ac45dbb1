package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Target;
import java.util.Set;

/** Reads what the checks compare frames with: the path's interfaces and the kernel's route to the container. */
public final class FactsReader {
    private final ProcessRunner runner;

    public FactsReader(ProcessRunner runner) {
        this.runner = runner;
    }

    /** @param captured the roles that will be captured */
    public PathFacts read(Target t, Set<Role> captured) {
        if (t.containerNs() == null) {
            throw new EnvironmentException("probing needs the container's namespace: give --container-netns, "
                    + "--container-pid or --lab");
        }
        RouteLookup route = new Ip(t.hostNs(), runner).routeGet(t.containerIp());
        int expectedSrc = route == null || route.prefsrc() == null ? 0 : Ipv4.tryParse(route.prefsrc());
        int hostIp = t.parent().firstAddress() != null ? t.parent().firstAddress().address() : expectedSrc;
        if (hostIp == 0) {
            throw new EnvironmentException(t.parent().name() + " has no IPv4 address: nothing for the container to "
                    + "reach on the host");
        }
        return new PathFacts(endpoint(t.parent(), hostIp), t.shim() == null ? null : endpoint(t.shim(), 0),
                new Endpoint(t.containerIface().name(), mac(t.containerIface()), t.containerIp(),
                        t.containerIface().macvlanMode(), t.containerIface().adminUp()),
                hostIp, expectedSrc, route == null ? null : route.dev(), captured);
    }

    private static Endpoint endpoint(Link l, int ip) {
        int addr = ip != 0 ? ip : l.firstAddress() == null ? 0 : l.firstAddress().address();
        return new Endpoint(l.name(), mac(l), addr, l.macvlanMode(), l.adminUp());
    }

    private static long mac(Link l) {
        return l.mac() == null ? 0 : Mac.parse(l.mac());
    }
}
