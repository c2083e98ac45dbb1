package io.macvlandoctor.analysis;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Matches frames from all capture points into exchanges: an echo request with its replies by (addresses, id, seq);
 * an ARP request or neighbour solicitation with its replies by addresses and time. One transmission is seen at most
 * once per point and direction, so a request seen again where it was already seen starts a new exchange (a retry,
 * the next ping); a reply belongs to the latest request. Duplicate replies and unrelated frames do no harm.
 */
public final class Correlator {
    private Correlator() {
    }

    // The keys' equals and hashCode are written out, as IpAddress's are (see there).
    private record Key(Exchange.Kind kind, IpAddress requester, IpAddress responder, int id, int seq, long asker) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && Objects.equals(k.requester, requester)
                    && Objects.equals(k.responder, responder) && k.id == id && k.seq == seq && k.asker == asker;
        }

        @Override
        public int hashCode() {
            return ((kind.ordinal() * 31 + Objects.hashCode(requester)) * 31 + Objects.hashCode(responder)) * 31
                    + id * 7 + seq + Long.hashCode(asker);
        }
    }

    private record Place(CapturePoint point, Direction direction) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Place p && p.point.equals(point) && p.direction == direction;
        }

        @Override
        public int hashCode() {
            return point.hashCode() * 31 + (direction == null ? 0 : direction.ordinal() + 1);
        }
    }

    /** One sighting: the same frame at the same point, way and instant is a duplicate (overlapping captures). */
    private record Sighting(CapturePoint point, Direction direction, long timeNs, long srcMac, long dstMac,
                            io.macvlandoctor.model.FrameKind kind, int seq) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sighting s && s.point.equals(point) && s.direction == direction && s.timeNs == timeNs
                    && s.srcMac == srcMac && s.dstMac == dstMac && s.kind == kind && s.seq == seq;
        }

        @Override
        public int hashCode() {
            return (point.hashCode() * 31 + Long.hashCode(timeNs)) * 31 + Long.hashCode(srcMac ^ dstMac) + seq;
        }
    }

    private static final class Builder {
        final Key key;
        final List<Frame> requests = new ArrayList<>();
        final List<Frame> replies = new ArrayList<>();
        final Set<Place> requestPlaces = new HashSet<>();

        Builder(Key key) {
            this.key = key;
        }

        Exchange build() {
            return new Exchange(key.kind(), key.requester(), key.responder(), key.id(), key.seq(), requests, replies);
        }
    }

    /**
     * Who asked, for address resolution: the request's sender hardware address (ARP, or the solicitation's source
     * link-layer option) or its Ethernet source; a reply's target hardware address or its Ethernet destination.
     * Echoes are told apart by their id and sequence: 0.
     */
    private static long asker(Frame f, boolean request) {
        if (!f.kind().isResolution()) {
            return 0;
        }
        if (request) {
            return f.senderMac() != 0 ? f.senderMac() : f.srcMac();
        }
        return f.targetMac() != 0 && f.targetMac() != io.macvlandoctor.model.Mac.BROADCAST ? f.targetMac() : f.dstMac();
    }

    /** Exchanges in the order their first frame was seen. Frames need not be sorted. */
    public static List<Exchange> correlate(List<Frame> frames) {
        List<Frame> sorted = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            if ((f.kind().isResolution() || f.kind().isEcho()) && f.srcIp() != null && f.dstIp() != null) {
                sorted.add(f);
            }
        }
        sorted.sort(Comparator.comparingLong(Frame::timeNs));
        Map<Key, Builder> latest = new HashMap<>();
        List<Builder> all = new ArrayList<>();
        Set<Sighting> seen = new HashSet<>();
        for (Frame f : sorted) {
            if (!seen.add(new Sighting(f.point(), f.direction(), f.timeNs(), f.srcMac(), f.dstMac(), f.kind(),
                    f.icmpSeq()))) {
                continue;
            }
            boolean request = f.kind().isRequest();
            Exchange.Kind kind = f.kind().isResolution() ? Exchange.Kind.RESOLVE : Exchange.Kind.ECHO;
            Key key = request ? new Key(kind, f.srcIp(), f.dstIp(), f.icmpId(), f.icmpSeq(), asker(f, true))
                    : new Key(kind, f.dstIp(), f.srcIp(), f.icmpId(), f.icmpSeq(), asker(f, false));
            Builder b = latest.get(key);
            if (request) {
                Place place = new Place(f.point(), f.direction());
                if (b == null || b.requestPlaces.contains(place)) {
                    b = new Builder(key);
                    latest.put(key, b);
                    all.add(b);
                }
                b.requestPlaces.add(place);
                b.requests.add(f);
            } else {
                if (b == null) {
                    // A reply whose request was not captured (capture started late, or a point was not captured).
                    b = new Builder(key);
                    latest.put(key, b);
                    all.add(b);
                }
                b.replies.add(f);
            }
        }
        List<Exchange> out = new ArrayList<>(all.size());
        for (Builder b : all) {
            out.add(b.build());
        }
        return out;
    }
}
