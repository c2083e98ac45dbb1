package io.macvlandoctor.report;

import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Mac;
import java.util.Locale;

/** How a frame is written in reports: the same words in text, JSON and pcapng comments. */
public final class FrameText {
    private FrameText() {
    }

    /** "arp-request", "icmp-echo-reply", ... (JSON "kind"). */
    public static String kind(FrameKind k) {
        return k.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One aligned line: time offset, point, direction, MACs, what it is. */
    public static String line(Frame f, long t0) {
        String what = switch (f.kind()) {
            case ARP_REQUEST, ARP_REPLY -> f.summary();
            case ICMP_ECHO_REQUEST -> Ipv4.format(f.srcIp()) + " > " + Ipv4.format(f.dstIp()) + "  echo request";
            case ICMP_ECHO_REPLY -> Ipv4.format(f.srcIp()) + " > " + Ipv4.format(f.dstIp()) + "  echo reply";
            default -> f.summary();
        };
        return String.format(Locale.ROOT, "%+9.3f ms  %-22s %-8s %s > %s  %s", (f.timeNs() - t0) / 1e6,
                f.point().name(), f.direction().word(), Mac.format(f.srcMac()), Mac.format(f.dstMac()), what);
    }
}
