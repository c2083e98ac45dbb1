package io.macvlandoctor.model;


/** libpcap's counters for one handle: what the kernel handed over, and what it dropped (buffer full, interface). */
public record CaptureStats(CapturePoint point, Direction direction, long received, long dropped, long ifDropped,
                           long captured) {
}
