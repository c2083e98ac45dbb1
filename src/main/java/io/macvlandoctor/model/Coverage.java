package io.macvlandoctor.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * How much of the run the frames can speak for: which roles were captured, which were lost while the probes ran
 * (the interface went away), and where the kernel dropped frames. A frame that was seen proves what it shows; the
 * absence of a frame proves something only at a point that was captured whole.
 */
public record Coverage(Set<Role> captured, Set<Role> lost, Map<Role, Long> dropped) {
    public Coverage {
        captured = captured.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(captured));
        lost = Set.copyOf(lost);
        dropped = Map.copyOf(dropped);
    }

    public static Coverage of(Set<Role> captured) {
        return new Coverage(captured, Set.of(), Map.of());
    }

    /** The role was captured (it may have been lost later). */
    public boolean saw(Role r) {
        return captured.contains(r);
    }

    /** Captured for the whole run with nothing dropped: what it did not see did not pass there. */
    public boolean whole(Role r) {
        return captured.contains(r) && !lost.contains(r) && dropped.getOrDefault(r, 0L) == 0;
    }

    /** Why absence at r proves nothing: "not captured", "lost during the run", "N frames dropped by the kernel". */
    public String gap(Role r) {
        if (!captured.contains(r)) {
            return "the " + r.id() + " was not captured";
        }
        if (lost.contains(r)) {
            return "the " + r.id() + "'s capture was lost during the run";
        }
        return "the kernel dropped " + dropped.getOrDefault(r, 0L) + " frames at the " + r.id();
    }
}
