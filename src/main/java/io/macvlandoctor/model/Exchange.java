package io.macvlandoctor.model;

import java.util.List;

/**
 * One request and its replies, with every sighting of them at every capture point, in time order.
 *
 * @param requester the address that asked (ARP sender, solicitation source, echo source)
 * @param responder the address asked for (ARP or solicitation target, echo destination)
 * @param icmpId echo identifier, 0 for address resolution
 * @param icmpSeq echo sequence, 0 for address resolution
 */
public record Exchange(Kind kind, IpAddress requester, IpAddress responder, int icmpId, int icmpSeq,
                       List<Frame> requests, List<Frame> replies) {
    /** Address resolution (ARP, NDP) or echo (ICMP, ICMPv6). */
    public enum Kind { RESOLVE, ECHO }

    public Exchange {
        requests = List.copyOf(requests);
        replies = List.copyOf(replies);
    }

    public Family family() {
        return responder.family();
    }

    public long startNs() {
        return requests.isEmpty() ? replies.get(0).timeNs() : requests.get(0).timeNs();
    }

    public boolean requestSeenAt(Role role, Direction dir) {
        return requests.stream().anyMatch(f -> f.seenAt(role, dir));
    }

    public boolean replySeenAt(Role role, Direction dir) {
        return replies.stream().anyMatch(f -> f.seenAt(role, dir));
    }

    public boolean requestSeenAt(Role role) {
        return requests.stream().anyMatch(f -> f.point().role() == role);
    }

    public boolean replySeenAt(Role role) {
        return replies.stream().anyMatch(f -> f.point().role() == role);
    }

    public String describe() {
        if (kind == Kind.RESOLVE) {
            return (family() == Family.V4 ? "ARP " : "NDP ") + requester + " asks for " + responder;
        }
        return (family() == Family.V4 ? "ICMP" : "ICMPv6") + " echo " + requester + " -> " + responder + " (id "
                + icmpId + ", seq " + icmpSeq + ")";
    }
}
