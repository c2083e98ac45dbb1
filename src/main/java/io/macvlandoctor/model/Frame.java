package io.macvlandoctor.model;

/**
 * One frame as one capture point saw it, decoded down to what the checks need. Addresses are kept as numbers
 * (MAC in a long, IPv4 in an int) so that millions of frames stay cheap.
 *
 * @param timeNs capture time, nanoseconds since the epoch
 * @param srcIp for ARP the sender protocol address, else the IPv4 source (0 when there is none)
 * @param dstIp for ARP the target protocol address, else the IPv4 destination
 * @param icmpId echo identifier (ICMP echo only)
 * @param token our probes' payload token, 0 for any other frame
 * @param arpSenderMac ARP sender hardware address (ARP only)
 * @param arpTargetMac ARP target hardware address (ARP only)
 * @param data the frame's bytes as captured (possibly cut at the snap length), for the pcapng export
 * @param originalLength the frame's length on the wire
 */
public record Frame(CapturePoint point, Direction direction, long timeNs, long srcMac, long dstMac, FrameKind kind,
                    int srcIp, int dstIp, int icmpId, int icmpSeq, long token, long arpSenderMac, long arpTargetMac,
                    byte[] data, int originalLength) {

    /** The same frame holding its own copy of the bytes (readers decode from a reused buffer). */
    public Frame withData(byte[] own) {
        return new Frame(point, direction, timeNs, srcMac, dstMac, kind, srcIp, dstIp, icmpId, icmpSeq, token,
                arpSenderMac, arpTargetMac, own, originalLength);
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
            case ARP_REQUEST -> "ARP who-has " + Ipv4.format(dstIp) + " tell " + Ipv4.format(srcIp);
            case ARP_REPLY -> "ARP reply " + Ipv4.format(srcIp) + " is-at " + Mac.format(arpSenderMac);
            case ICMP_ECHO_REQUEST -> "ICMP echo request " + Ipv4.format(srcIp) + " > " + Ipv4.format(dstIp)
                    + " id " + icmpId + " seq " + icmpSeq;
            case ICMP_ECHO_REPLY -> "ICMP echo reply " + Ipv4.format(srcIp) + " > " + Ipv4.format(dstIp)
                    + " id " + icmpId + " seq " + icmpSeq;
            case ICMP_OTHER -> "ICMP " + Ipv4.format(srcIp) + " > " + Ipv4.format(dstIp);
            case IPV4_OTHER -> "IPv4 " + Ipv4.format(srcIp) + " > " + Ipv4.format(dstIp);
            case OTHER -> "other (" + originalLength + " bytes)";
        };
    }
}
