package io.macvlandoctor.model;

import java.util.Locale;

/** What a frame is, as far as the checks care: address resolution (ARP, NDP), echo, other ICMP, other IP. */
public enum FrameKind {
    ARP_REQUEST(Family.V4), ARP_REPLY(Family.V4), ICMP_ECHO_REQUEST(Family.V4), ICMP_ECHO_REPLY(Family.V4),
    ICMP_OTHER(Family.V4), IPV4_OTHER(Family.V4),
    NDP_SOLICIT(Family.V6), NDP_ADVERT(Family.V6), ICMP6_ECHO_REQUEST(Family.V6), ICMP6_ECHO_REPLY(Family.V6),
    ICMP6_OTHER(Family.V6), IPV6_OTHER(Family.V6),
    OTHER(null);

    private final Family family;

    FrameKind(Family family) {
        this.family = family;
    }

    /** null for frames of neither family. */
    public Family family() {
        return family;
    }

    /** ARP or NDP: a neighbour asked for or announced. */
    public boolean isResolution() {
        return this == ARP_REQUEST || this == ARP_REPLY || this == NDP_SOLICIT || this == NDP_ADVERT;
    }

    public boolean isEcho() {
        return this == ICMP_ECHO_REQUEST || this == ICMP_ECHO_REPLY || this == ICMP6_ECHO_REQUEST
                || this == ICMP6_ECHO_REPLY;
    }

    /** What the checks and the diagnosis can use: resolution, echo, and ICMP errors. */
    public boolean matters() {
        return isResolution() || isEcho() || this == ICMP_OTHER || this == ICMP6_OTHER;
    }

    public boolean isRequest() {
        return this == ARP_REQUEST || this == NDP_SOLICIT || this == ICMP_ECHO_REQUEST || this == ICMP6_ECHO_REQUEST;
    }

    /** "arp-request", "icmp6-echo-reply", ... (JSON "kind"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FrameKind echoRequest(Family f) {
        return f == Family.V4 ? ICMP_ECHO_REQUEST : ICMP6_ECHO_REQUEST;
    }

    public static FrameKind echoReply(Family f) {
        return f == Family.V4 ? ICMP_ECHO_REPLY : ICMP6_ECHO_REPLY;
    }

    public static FrameKind resolutionReply(Family f) {
        return f == Family.V4 ? ARP_REPLY : NDP_ADVERT;
    }
}
