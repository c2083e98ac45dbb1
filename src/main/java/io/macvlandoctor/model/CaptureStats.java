package io.macvlandoctor.model;

/**
 * libpcap's counters for one handle: what the kernel handed over, and what it dropped (buffer full, interface).
 *
 * @param lost the capture stopped before the run ended (the interface went away)
 */
public record CaptureStats(CapturePoint point, Direction direction, long received, long dropped, long ifDropped,
                           long captured, boolean lost) {
    public CaptureStats(CapturePoint point, Direction direction, long received, long dropped, long ifDropped,
                        long captured) {
        this(point, direction, received, dropped, ifDropped, captured, false);
    }
}
