package io.macvlandoctor.analysis;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Works out the changes that apply the article's fix to a target: a bridge-mode macvlan shim on the parent, up,
 * and a host route to the container through it. Pure: the caller hands in what the kernel reported.
 * Links the tool did not create are never changed, only reported.
 */
public final class SetupPlanner {
    private SetupPlanner() {
    }

    /** The changes to make (empty when the fix is already in place) and a note on each part that already is. */
    public record Plan(List<Change> changes, List<String> alreadyThere) {
        public boolean nothingToDo() {
            return changes.isEmpty();
        }
    }

    public static Plan plan(Target t, List<Route> hostRoutes, String mode, Cidr shimIp) {
        return plan(t, hostRoutes, mode, shimIp, new Cidr(t.containerIp(), 32));
    }

    /** @param routeTo what to route through the shim: the container's address, or its network's ip-range */
    public static Plan plan(Target t, List<Route> hostRoutes, String mode, Cidr shimIp, Cidr routeTo) {
        Netns ns = t.hostNs();
        String shim = t.shimName();
        String parent = t.parent().name();
        String ctrIp = routeTo.prefix() == 32 ? routeTo.ip() : routeTo.toString();
        List<Change> changes = new ArrayList<>();
        List<String> there = new ArrayList<>();
        Link existing = t.shim();

        if (existing == null) {
            changes.add(new Change(ns, "create " + shim + " (macvlan " + mode + " on " + parent + ")",
                    List.of("link", "add", "link", parent, "name", shim, "type", "macvlan", "mode", mode),
                    List.of("link", "del", shim), shim));
        } else {
            if (!existing.isMacvlan() || existing.parentElsewhere() || existing.parentIndex() != t.parent().index()) {
                throw new EnvironmentException(shim + " exists but is not a macvlan on " + parent
                        + "; choose another name with --shim");
            }
            if (!mode.equals(existing.macvlanMode())) {
                throw new EnvironmentException(shim + " exists in " + existing.macvlanMode() + " mode, not " + mode
                        + "; setup does not change links it did not create: delete it (ip link del " + shim
                        + ") or choose another name with --shim");
            }
            there.add(shim + " exists (macvlan " + mode + " on " + parent + ")");
        }

        if (shimIp != null) {
            if (existing != null && existing.hasAddress(shimIp.address())) {
                there.add(shim + " has " + shimIp);
            } else {
                changes.add(Change.of(ns, "add " + shimIp + " to " + shim,
                        List.of("addr", "add", shimIp.toString(), "dev", shim),
                        List.of("addr", "del", shimIp.toString(), "dev", shim)));
            }
        }

        if (existing != null && existing.adminUp()) {
            there.add(shim + " is up");
        } else {
            changes.add(Change.of(ns, "bring " + shim + " up", List.of("link", "set", shim, "up"),
                    List.of("link", "set", shim, "down")));
        }

        Route hostRoute = hostRoutes.stream().filter(r -> r.dst() != null && r.dst().equals(routeTo)).findFirst()
                .orElse(null);
        if (hostRoute == null) {
            changes.add(Change.of(ns, "route " + ctrIp + " through " + shim,
                    List.of("route", "add", ctrIp, "dev", shim),
                    List.of("route", "del", ctrIp, "dev", shim)));
        } else if (hostRoute.dev().equals(shim) && hostRoute.gateway() == null) {
            there.add("route " + ctrIp + " dev " + shim);
        } else {
            throw new EnvironmentException("a route to " + ctrIp + " already exists (" + hostRoute.describe()
                    + "); setup does not replace routes it did not create: remove it (ip route del "
                    + hostRoute.describe() + ") and run setup again");
        }
        return new Plan(changes, there);
    }
}
