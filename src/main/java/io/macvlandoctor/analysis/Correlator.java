package io.macvlandoctor.analysis;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches frames from all capture points into exchanges: an echo request with its replies by (addresses, id,
 * seq); an ARP request with its replies by addresses and time. One transmission is seen at most once per point
 * and direction, so a request seen again where it was already seen starts a new exchange (a retry, the next
 * ping); a reply belongs to the latest request. Duplicate replies and unrelated frames do no harm.
 */
public final class Correlator {
    private Correlator() {
    }

    private record Key(Exchange.Kind kind, int requester, int responder, int id, int seq) {
    }

    private record Place(CapturePoint point, Direction direction) {
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

    /** Exchanges in the order their first frame was seen. Frames need not be sorted. */
    public static List<Exchange> correlate(List<Frame> frames) {
        List<Frame> sorted = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            if (f.kind().isArp() || f.kind().isEcho()) {
                sorted.add(f);
            }
        }
        sorted.sort(Comparator.comparingLong(Frame::timeNs));
        Map<Key, Builder> latest = new HashMap<>();
        List<Builder> all = new ArrayList<>();
        for (Frame f : sorted) {
            boolean request = f.kind() == FrameKind.ARP_REQUEST || f.kind() == FrameKind.ICMP_ECHO_REQUEST;
            Exchange.Kind kind = f.kind().isArp() ? Exchange.Kind.ARP : Exchange.Kind.ICMP_ECHO;
            Key key = request ? new Key(kind, f.srcIp(), f.dstIp(), f.icmpId(), f.icmpSeq())
                    : new Key(kind, f.dstIp(), f.srcIp(), f.icmpId(), f.icmpSeq());
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
