package io.macvlandoctor.model;

/** What a frame is, as far as the checks care. */
public enum FrameKind {
    ARP_REQUEST, ARP_REPLY, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMP_OTHER, IPV4_OTHER, OTHER;

    public boolean isArp() {
        return this == ARP_REQUEST || this == ARP_REPLY;
    }

    public boolean isEcho() {
        return this == ICMP_ECHO_REQUEST || this == ICMP_ECHO_REPLY;
    }
}
