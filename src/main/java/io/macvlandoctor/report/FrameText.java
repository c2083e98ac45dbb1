package io.macvlandoctor.report;

import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Mac;
import java.util.Locale;

/** How a frame is written in reports: the same words in text, JSON and pcapng comments. */
public final class FrameText {
    private FrameText() {
    }

    /** One aligned line: time offset, point, direction, MACs, what it is. */
    public static String line(Frame f, long t0) {
        String what = switch (f.kind()) {
            case ICMP_ECHO_REQUEST, ICMP6_ECHO_REQUEST -> f.srcIp() + " > " + f.dstIp() + "  echo request";
            case ICMP_ECHO_REPLY, ICMP6_ECHO_REPLY -> f.srcIp() + " > " + f.dstIp() + "  echo reply";
            default -> f.summary();
        };
        return String.format(Locale.ROOT, "%+9.3f ms  %-22s %-8s %s > %s  %s", (f.timeNs() - t0) / 1e6,
                f.point().name(), f.direction().word(), Mac.format(f.srcMac()), Mac.format(f.dstMac()), what);
    }
}
