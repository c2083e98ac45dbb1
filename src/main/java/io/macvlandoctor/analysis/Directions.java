package io.macvlandoctor.analysis;

import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Directions for frames whose capture did not record them (classic pcap), inferred from the MACs that the facts
 * give: never from MACs read off the frames themselves, which would judge the frames by what they say. A frame whose
 * direction the known MACs cannot tell keeps UNKNOWN, and the checks that need it stay unproven. Pure.
 */
public final class Directions {
    private Directions() {
    }

    /** The frames with directions filled in where the facts allow, and a note on where that was done. */
    public record Result(List<Frame> frames, List<String> notes) {
    }

    public static Result infer(List<Frame> frames, Topology t) {
        List<Frame> out = new ArrayList<>(frames.size());
        Set<String> inferred = new LinkedHashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (Frame f : frames) {
            if (f.direction() != Direction.UNKNOWN) {
                out.add(f);
                continue;
            }
            Direction d = direction(f, t);
            (d == Direction.UNKNOWN ? unknown : inferred).add(f.point().name());
            out.add(d == Direction.UNKNOWN ? f : f.withDirection(d));
        }
        List<String> notes = new ArrayList<>();
        if (!inferred.isEmpty()) {
            notes.add("direction inferred from the facts' MAC addresses at " + String.join(", ", inferred)
                    + " (the capture does not record it)");
        }
        unknown.removeAll(inferred);
        if (!unknown.isEmpty()) {
            notes.add("direction unknown at " + String.join(", ", unknown) + ": the capture does not record it and the "
                    + "MACs that would tell are not known (give --facts, or --shim-mac, --parent-mac)");
        }
        return new Result(out, notes);
    }

    /**
     * A point's own frames leave it; the rest arrive. The parent is the odd one: unicast between the shim and the
     * container reaches it as ingress (bridge mode hands it to the parent's taps); their broadcasts leave on it
     * towards the wire; its own frames leave; anything else came from the wire.
     */
    static Direction direction(Frame f, Topology t) {
        long src = f.srcMac();
        long shim = t.shim() == null ? 0 : t.shim().mac();
        long ctr = t.container() == null ? 0 : t.container().mac();
        long parent = t.parent() == null ? 0 : t.parent().mac();
        boolean child = src == shim && shim != 0 || src == ctr && ctr != 0;
        return switch (f.point().role()) {
            case CONTAINER -> ctr == 0 ? Direction.UNKNOWN : src == ctr ? Direction.OUT : Direction.IN;
            case SHIM -> shim == 0 ? Direction.UNKNOWN : src == shim ? Direction.OUT : Direction.IN;
            case PARENT -> parent != 0 && src == parent ? Direction.OUT
                    : child ? (f.isUnicast() ? Direction.IN : Direction.OUT)
                    : parent != 0 && (shim != 0 || t.shim() == null) && ctr != 0 ? Direction.IN : Direction.UNKNOWN;
            case WIRE -> child || parent != 0 && src == parent ? Direction.IN
                    : parent != 0 && (shim != 0 || t.shim() == null) && ctr != 0 ? Direction.OUT : Direction.UNKNOWN;
        };
    }
}
