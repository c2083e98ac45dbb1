package io.macvlandoctor.report;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One exchange as a ladder (sequence) diagram: a lane per capture point (parent, shim, container, the LAN side), an
 * arrow per captured frame in time order, from the device that sent it to the one that got it, with a dot at the
 * point that saw it; the frames that are a check's evidence marked, those of a failed check marked as failed, and,
 * when nothing answered, where the path stops. The model of both the terminal's ladder and the HTML report's SVG:
 * drawn twice, computed once.
 */
public record Ladder(List<Lane> lanes, List<Arrow> arrows, int stop) {
    /** A lane: a capture point, or the LAN beyond the parent when no point there was captured (virtual). */
    public record Lane(String name, Role role, boolean virtual) {
    }

    /** How a frame stands in the checks. */
    public enum Mark { PLAIN, EVIDENCE, FAILED }

    /**
     * @param from the lane of the device that sent the frame
     * @param to the lane of the device it went to
     * @param at the lane of the point that saw it
     */
    public record Arrow(Frame frame, int from, int to, int at, String label, Mark mark, long offsetNs) {
    }

    public Ladder {
        lanes = List.copyOf(lanes);
        arrows = List.copyOf(arrows);
    }

    /** No lane for stop: the exchange was answered. */
    public static final int NONE = -1;

    private static final List<Role> ORDER = List.of(Role.PARENT, Role.SHIM, Role.CONTAINER, Role.WIRE);

    /**
     * @param points the points of the run (their order does not matter); those of other containers are left out
     *               unless a frame of this exchange was seen there
     * @param checks the checks whose evidence marks the frames
     */
    public static Ladder of(Exchange e, List<CapturePoint> points, Topology topo, List<CheckResult> checks) {
        List<Frame> frames = new ArrayList<>(e.requests());
        frames.addAll(e.replies());
        frames.sort(Comparator.comparingLong(Frame::timeNs));
        List<CapturePoint> seen = frames.stream().map(Frame::point).distinct().toList();
        List<CapturePoint> used = new ArrayList<>();
        for (CapturePoint p : points) {
            boolean mine = p.role() != Role.CONTAINER || seen.contains(p)
                    || topo != null && seen.stream().noneMatch(s -> s.role() == Role.CONTAINER)
                    && p.iface().equals(topo.container().name());
            if (mine && !used.contains(p)) {
                used.add(p);
            }
        }
        seen.stream().filter(p -> !used.contains(p)).forEach(used::add);
        used.sort(Comparator.comparingInt(p -> ORDER.indexOf(p.role())));
        List<Lane> lanes = new ArrayList<>();
        used.forEach(p -> lanes.add(new Lane(p.name(), p.role(), false)));
        Set<Frame> evidence = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Frame> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CheckResult c : checks) {
            evidence.addAll(c.evidence());
            if (c.status() == CheckStatus.FAIL) {
                failed.addAll(c.evidence());
            }
        }
        List<Arrow> arrows = new ArrayList<>();
        long t0 = frames.isEmpty() ? 0 : frames.get(0).timeNs();
        for (Frame f : frames) {
            int at = used.indexOf(f.point());
            int[] ends = ends(f, at, lanes, topo);
            Mark m = failed.contains(f) ? Mark.FAILED : evidence.contains(f) ? Mark.EVIDENCE : Mark.PLAIN;
            arrows.add(new Arrow(f, ends[0], ends[1], at, label(f), m, f.timeNs() - t0));
        }
        int stop = e.replies().isEmpty() && !arrows.isEmpty() ? stop(arrows, lanes) : NONE;
        return new Ladder(lanes, arrows, stop);
    }

    /**
     * Where an unanswered exchange stops: at the last device the request reached, not at the parent's tap (which
     * sees what passes between its children without being where it goes).
     */
    private static int stop(List<Arrow> arrows, List<Lane> lanes) {
        for (int i = arrows.size() - 1; i >= 0; i--) {
            Arrow a = arrows.get(i);
            if (lanes.get(a.at()).role() != Role.PARENT || a.frame().direction() == Direction.OUT) {
                return a.to();
            }
        }
        return arrows.get(arrows.size() - 1).to();
    }

    /**
     * Where a frame came from and went, as macvlan moves it: out of the parent is onto the wire; out of the shim
     * or a container is into the macvlan bridge, to the child that owns the destination MAC or else down through
     * the parent; into a point is from the device that owns the source MAC, or from the LAN.
     */
    private static int[] ends(Frame f, int at, List<Lane> lanes, Topology topo) {
        Role role = lanes.get(at).role();
        if (f.direction() == Direction.OUT) {
            int to;
            if (role == Role.PARENT) {
                to = lane(lanes, Role.WIRE, true);
            } else if (role == Role.WIRE) {
                Role r = owner(f.dstMac(), topo);
                to = lane(lanes, r == null ? Role.PARENT : r, false);
            } else {
                Role r = owner(f.dstMac(), topo);
                to = lane(lanes, r == null || r == Role.WIRE || r == role ? Role.PARENT : r, false);
            }
            return new int[] {at, to == NONE || to == at ? at : to};
        }
        Role r = owner(f.srcMac(), topo);
        int from = r == null || r == Role.WIRE ? lane(lanes, Role.WIRE, true) : lane(lanes, r, false);
        return new int[] {from == NONE || from == at ? at : from, at};
    }

    /** The role whose device has this MAC, as the facts say; null for another device (the LAN, a broadcast). */
    private static Role owner(long mac, Topology topo) {
        if (topo == null || mac == 0 || Mac.isMulticast(mac)) {
            return null;
        }
        if (topo.shim() != null && topo.shim().mac() == mac) {
            return Role.SHIM;
        }
        if (topo.parent() != null && topo.parent().mac() == mac) {
            return Role.PARENT;
        }
        if (topo.container() != null && topo.container().mac() == mac) {
            return Role.CONTAINER;
        }
        return null;
    }

    /** The lane of a role; for the LAN, a virtual lane added at the right when none was captured. */
    private static int lane(List<Lane> lanes, Role r, boolean addLan) {
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).role() == r) {
                return i;
            }
        }
        if (addLan && r == Role.WIRE) {
            lanes.add(new Lane("LAN", Role.WIRE, true));
            return lanes.size() - 1;
        }
        return NONE;
    }

    /**
     * What the arrow says: the kind of frame and the one address or MAC that matters for it (the exchange's title
     * says the rest).
     */
    static String label(Frame f) {
        return switch (f.kind()) {
            case ARP_REQUEST, NDP_SOLICIT -> "who-has " + f.dstIp();
            case ARP_REPLY, NDP_ADVERT -> f.senderMac() == 0 ? "answer from " + f.srcIp()
                    : "is-at " + Mac.format(f.senderMac());
            case ICMP_ECHO_REQUEST, ICMP6_ECHO_REQUEST -> "echo request";
            case ICMP_ECHO_REPLY, ICMP6_ECHO_REPLY -> "echo reply";
            default -> f.summary();
        };
    }
}
