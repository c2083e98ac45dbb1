package io.macvlandoctor.analysis;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * For captures that carry no facts (tcpdump, dumpcap): who is who, read off the frames themselves, and the
 * direction of frames whose file did not record it, inferred from their addresses. Pure.
 */
public final class FramesFacts {
    private FramesFacts() {
    }

    /** What was inferred, and which points got their directions inferred. */
    public record Inferred(PathFacts facts, List<Frame> frames, List<String> notes) {
    }

    /**
     * @param containerIp the container's address if the user gave it, else 0
     * @param hostIp the host's address if the user gave it, else 0
     */
    public static Inferred infer(List<Frame> frames, Set<CapturePoint> points, int containerIp, int hostIp) {
        List<String> notes = new ArrayList<>();
        Set<Role> roles = new LinkedHashSet<>();
        points.forEach(p -> roles.add(p.role()));
        // Without directions a two-party exchange looks the same from either end: the container's own frames are
        // the ones its capture recorded leaving, or the user names one of the two addresses.
        int ctr = containerIp;
        if (ctr == 0) {
            ctr = mostCommon(frames, f -> f.seenAt(Role.CONTAINER, Direction.OUT)
                    && (f.kind() == FrameKind.ARP_REQUEST || f.kind() == FrameKind.ICMP_ECHO_REQUEST), Frame::srcIp);
        }
        if (ctr == 0 && hostIp != 0) {
            ctr = mostCommon(frames, f -> f.kind() == FrameKind.ARP_REQUEST && f.srcIp() == hostIp, Frame::dstIp);
            if (ctr == 0) {
                ctr = mostCommon(frames, f -> f.kind() == FrameKind.ARP_REQUEST && f.dstIp() == hostIp, Frame::srcIp);
            }
        }
        if (ctr == 0) {
            throw new UsageException("cannot tell which end is the container: these captures do not record "
                    + "directions; give --container-ip");
        }
        final int c = ctr;
        int host = hostIp;
        if (host == 0) {
            host = mostCommon(frames, f -> f.kind() == FrameKind.ARP_REQUEST && f.srcIp() == c, Frame::dstIp);
        }
        if (host == 0) {
            host = mostCommon(frames, f -> f.kind() == FrameKind.ICMP_ECHO_REQUEST && f.srcIp() == c, Frame::dstIp);
        }
        if (host == 0) {
            host = mostCommon(frames, f -> f.kind() == FrameKind.ICMP_ECHO_REQUEST && f.dstIp() == c, Frame::srcIp);
        }
        if (host == 0) {
            throw new UsageException("cannot tell the host's address from these captures (no ARP or ICMP between "
                    + "the container and the host): give --host-ip");
        }
        final int h = host;
        long cMac = mostCommonMac(frames, f -> f.kind().isArp() && f.srcIp() == c, Frame::arpSenderMac);
        if (cMac == 0) {
            cMac = mostCommonMac(frames, f -> f.kind().isEcho() && f.srcIp() == c, Frame::srcMac);
        }
        final long cm = cMac;
        // The host talks to the container from the shim: its MAC is the one answering for the host's address, or
        // sending the host's echo requests to the container.
        long shimMac = 0;
        if (roles.contains(Role.SHIM)) {
            shimMac = mostCommonMac(frames, f -> f.point().role() == Role.SHIM && f.srcIp() == h && f.srcMac() != cm,
                    Frame::srcMac);
            if (shimMac == 0) {
                shimMac = mostCommonMac(frames, f -> f.point().role() == Role.SHIM && f.dstIp() == h && f.isUnicast()
                        && f.dstMac() != cm, Frame::dstMac);
            }
        }
        if (shimMac == 0) {
            // The host's frames reaching the parent as ingress come from a sibling macvlan: the parent's own frames
            // could only leave it.
            shimMac = mostCommonMac(frames, f -> f.seenAt(Role.PARENT, Direction.IN) && f.srcIp() == h
                    && f.srcMac() != cm, Frame::srcMac);
        }
        if (shimMac == 0) {
            // Seen only from the container's side: the host's frames come from a sibling macvlan, since a bridge-mode
            // child never hears its parent directly (only a hairpinning VEPA switch could bring the parent's).
            shimMac = mostCommonMac(frames, f -> f.point().role() == Role.CONTAINER && f.srcIp() == h
                    && f.srcMac() != cm, Frame::srcMac);
            if (shimMac != 0) {
                notes.add("the host's frames reach the container from " + Mac.format(shimMac)
                        + ": taken to be the shim's MAC (no capture on the shim)");
            }
        }
        final long s = shimMac;
        long parentMac = mostCommonMac(frames, f -> f.point().role() == Role.PARENT && f.srcIp() == h
                && f.srcMac() != s && f.srcMac() != cm, Frame::srcMac);

        Endpoint parent = new Endpoint(name(points, Role.PARENT, "<parent>"), parentMac, h, null, true);
        Endpoint shim = roles.contains(Role.SHIM) || shimMac != 0
                ? new Endpoint(name(points, Role.SHIM, "<shim>"), shimMac, 0, null, true) : null;
        Endpoint container = new Endpoint(name(points, Role.CONTAINER, "<container>"), cm, c, null, true);
        // No expected source from the kernel here: src-ip compares with the host's address the container uses.
        PathFacts facts = new PathFacts(parent, shim, container, h, 0, null, roles);

        List<Frame> out = new ArrayList<>(frames.size());
        Set<String> inferred = new LinkedHashSet<>();
        for (Frame f : frames) {
            if (f.direction() != Direction.UNKNOWN) {
                out.add(f);
                continue;
            }
            Direction d = direction(f, facts);
            if (d != Direction.UNKNOWN) {
                inferred.add(f.point().name());
            }
            out.add(d == Direction.UNKNOWN ? f : withDirection(f, d));
        }
        if (!inferred.isEmpty()) {
            notes.add("direction inferred from the addresses at " + String.join(", ", inferred)
                    + " (the capture does not record it)");
        }
        notes.add("facts read off the frames: container " + container.ipText() + " " + container.macText()
                + ", host " + parent.ipText() + (shim == null ? "" : ", shim MAC " + shim.macText())
                + (parentMac == 0 ? "" : ", parent MAC " + Mac.format(parentMac)));
        return new Inferred(facts, out, notes);
    }

    /**
     * A point's own frames leave it; the rest arrive. The parent is the odd one: the unicast exchange between the
     * shim and the container reaches it as ingress (bridge mode hands it to the parent's taps), their broadcasts
     * leave on it towards the wire.
     */
    static Direction direction(Frame f, PathFacts p) {
        long src = f.srcMac();
        long shim = p.shim() == null ? 0 : p.shim().mac();
        long ctr = p.container().mac();
        long parent = p.parent().mac();
        return switch (f.point().role()) {
            case CONTAINER -> ctr == 0 ? Direction.UNKNOWN : src == ctr ? Direction.OUT : Direction.IN;
            case SHIM -> shim == 0 ? Direction.UNKNOWN : src == shim ? Direction.OUT : Direction.IN;
            case PARENT -> src == parent && parent != 0 ? Direction.OUT
                    : (src == shim && shim != 0 || src == ctr) ? (f.isUnicast() ? Direction.IN : Direction.OUT)
                    : Direction.IN;
            case WIRE -> src == ctr || src == shim && shim != 0 || src == parent && parent != 0 ? Direction.IN
                    : Direction.OUT;
        };
    }

    private static Frame withDirection(Frame f, Direction d) {
        return new Frame(f.point(), d, f.timeNs(), f.srcMac(), f.dstMac(), f.kind(), f.srcIp(), f.dstIp(), f.icmpId(),
                f.icmpSeq(), f.token(), f.arpSenderMac(), f.arpTargetMac(), f.data(), f.originalLength());
    }

    private static int mostCommon(List<Frame> frames, Predicate<Frame> p, Function<Frame, Integer> key) {
        Map<Integer, Integer> count = new HashMap<>();
        for (Frame f : frames) {
            if (p.test(f)) {
                count.merge(key.apply(f), 1, Integer::sum);
            }
        }
        return count.entrySet().stream().filter(e -> e.getKey() != 0).max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).orElse(0);
    }

    private static long mostCommonMac(List<Frame> frames, Predicate<Frame> p, Function<Frame, Long> key) {
        Map<Long, Integer> count = new HashMap<>();
        for (Frame f : frames) {
            if (p.test(f)) {
                count.merge(key.apply(f), 1, Integer::sum);
            }
        }
        return count.entrySet().stream().filter(e -> e.getKey() != 0 && !Mac.isMulticast(e.getKey()))
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0L);
    }

    private static String name(Set<CapturePoint> points, Role role, String dflt) {
        return points.stream().filter(p -> p.role() == role).map(CapturePoint::iface).findFirst().orElse(dflt);
    }
}
