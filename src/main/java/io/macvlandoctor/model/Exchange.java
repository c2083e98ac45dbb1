package io.macvlandoctor.model;

import java.util.List;

/**
 * One request and its replies, with every sighting of them at every capture point, in time order.
 *
 * @param requester the address that asked (ARP sender, echo source)
 * @param responder the address asked for (ARP target, echo destination)
 * @param icmpId echo identifier, 0 for ARP
 * @param icmpSeq echo sequence, 0 for ARP
 */
public record Exchange(Kind kind, int requester, int responder, int icmpId, int icmpSeq, List<Frame> requests,
                       List<Frame> replies) {
    public enum Kind { ARP, ICMP_ECHO }

    public Exchange {
        requests = List.copyOf(requests);
        replies = List.copyOf(replies);
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

    public Frame firstRequestAt(Role role, Direction dir) {
        return requests.stream().filter(f -> f.seenAt(role, dir)).findFirst().orElse(null);
    }

    public Frame firstReplyAt(Role role, Direction dir) {
        return replies.stream().filter(f -> f.seenAt(role, dir)).findFirst().orElse(null);
    }

    public String describe() {
        return kind == Kind.ARP
                ? "ARP " + Ipv4.format(requester) + " asks for " + Ipv4.format(responder)
                : "ICMP echo " + Ipv4.format(requester) + " -> " + Ipv4.format(responder) + " (id " + icmpId
                        + ", seq " + icmpSeq + ")";
    }
}
