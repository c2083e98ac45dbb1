package io.macvlandoctor.model;

import java.util.List;

/**
 * One round of probes as the report shows it: the exchanges that matter, labelled, and the capture counters.
 *
 * @param frames every frame captured in the round (for the pcapng export)
 * @param outcome what the probing sockets saw (unknown for captures analyzed offline)
 */
public record Phase(String title, List<Labelled> exchanges, List<CaptureStats> stats, List<Frame> frames,
                    ProbeOutcome outcome) {
    /** An exchange with what it stands for ("host -> container: echo"). */
    public record Labelled(String label, Exchange exchange) {
    }

    public Phase {
        exchanges = List.copyOf(exchanges);
        stats = List.copyOf(stats);
        frames = List.copyOf(frames);
    }

    public long dropped() {
        return stats.stream().mapToLong(s -> Math.max(0, s.dropped()) + Math.max(0, s.ifDropped())).sum();
    }
}
