package io.macvlandoctor.model;

/**
 * One frame as one capture point saw it, decoded down to what the checks need. MACs are kept as numbers so that
 * millions of frames stay cheap.
 *
 * @param timeNs capture time, nanoseconds since the epoch
 * @param srcIp for ARP the sender's protocol address, for a neighbour solicitation the IPv6 source, for an
 *     advertisement its target (the address announced), else the IP source; null when there is none
 * @param dstIp for ARP the target protocol address, for a solicitation its target (the address asked for), for an
 *     advertisement the IPv6 destination, else the IP destination
 * @param icmpId echo identifier (echo only)
 * @param token our probes' token (echo payload, or the nonce option of our solicitations), 0 for any other frame
 * @param senderMac the link-layer address the frame announces: ARP sender hardware address, the source or target
 *     link-layer address option of a solicitation or advertisement; 0 when absent
 * @param targetMac ARP target hardware address (ARP only)
 * @param data the frame's bytes as captured (possibly cut at the snap length), for the pcapng export
 * @param originalLength the frame's length on the wire
 */
public record Frame(CapturePoint point, Direction direction, long timeNs, long srcMac, long dstMac, FrameKind kind,
                    IpAddress srcIp, IpAddress dstIp, int icmpId, int icmpSeq, long token, long senderMac,
                    long targetMac, byte[] data, int originalLength) {

    /** The same frame holding its own copy of the bytes (readers decode from a reused buffer). */
    public Frame withData(byte[] own) {
        return new Frame(point, direction, timeNs, srcMac, dstMac, kind, srcIp, dstIp, icmpId, icmpSeq, token,
                senderMac, targetMac, own, originalLength);
    }

    public Frame withDirection(Direction d) {
        return new Frame(point, d, timeNs, srcMac, dstMac, kind, srcIp, dstIp, icmpId, icmpSeq, token, senderMac,
                targetMac, data, originalLength);
    }

    public boolean isUnicast() {
        return !Mac.isMulticast(dstMac);
    }

    public boolean seenAt(Role role, Direction dir) {
        return point.role() == role && direction == dir;
    }

    /** One line, tcpdump-like: "ARP reply 192.168.136.130 is-at 9e:63:..". */
    public String summary() {
        return switch (kind) {
            case ARP_REQUEST -> "ARP who-has " + dstIp + " tell " + srcIp;
            case ARP_REPLY -> "ARP reply " + srcIp + " is-at " + Mac.format(senderMac);
            case NDP_SOLICIT -> "NDP who-has " + dstIp + " tell " + srcIp;
            case NDP_ADVERT -> "NDP advert " + srcIp + (senderMac == 0 ? "" : " is-at " + Mac.format(senderMac));
            case ICMP_ECHO_REQUEST, ICMP6_ECHO_REQUEST -> (kind == FrameKind.ICMP6_ECHO_REQUEST ? "ICMPv6" : "ICMP")
                    + " echo request " + srcIp + " > " + dstIp + " id " + icmpId + " seq " + icmpSeq;
            case ICMP_ECHO_REPLY, ICMP6_ECHO_REPLY -> (kind == FrameKind.ICMP6_ECHO_REPLY ? "ICMPv6" : "ICMP")
                    + " echo reply " + srcIp + " > " + dstIp + " id " + icmpId + " seq " + icmpSeq;
            case ICMP_OTHER -> "ICMP " + srcIp + " > " + dstIp;
            case ICMP6_OTHER -> "ICMPv6 " + srcIp + " > " + dstIp;
            case IPV4_OTHER -> "IPv4 " + srcIp + " > " + dstIp;
            case IPV6_OTHER -> "IPv6 " + srcIp + " > " + dstIp;
            case OTHER -> "other (" + originalLength + " bytes)";
        };
    }
}
