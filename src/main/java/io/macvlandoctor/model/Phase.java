package io.macvlandoctor.model;

import java.util.List;
import java.util.Map;

/**
 * One round of probes as the report shows it: the exchanges that matter, labelled, and the capture counters.
 *
 * @param frames every frame captured in the round (for the pcapng export)
 * @param outcomes what the probing sockets saw, per family (empty offline)
 * @param coverage which roles the frames can speak for
 * @param kernel the kernel's decisions recorded while the probes ran, matched to them (empty untraced)
 */
public record Phase(String title, List<Labelled> exchanges, List<CaptureStats> stats, List<Frame> frames,
                    Map<Family, ProbeOutcome> outcomes, Coverage coverage, List<KernelEvent> kernel) {
    public Phase(String title, List<Labelled> exchanges, List<CaptureStats> stats, List<Frame> frames,
                 Map<Family, ProbeOutcome> outcomes, Coverage coverage) {
        this(title, exchanges, stats, frames, outcomes, coverage, List.of());
    }

    /** An exchange with what it stands for ("host -> container"). */
    public record Labelled(String label, Exchange exchange) {
    }

    public Phase {
        exchanges = List.copyOf(exchanges);
        stats = List.copyOf(stats);
        frames = List.copyOf(frames);
        outcomes = Map.copyOf(outcomes);
        kernel = List.copyOf(kernel);
    }

    public ProbeOutcome outcome(Family f) {
        return outcomes.getOrDefault(f, ProbeOutcome.UNKNOWN);
    }

    public long dropped() {
        return stats.stream().mapToLong(s -> Math.max(0, s.dropped()) + Math.max(0, s.ifDropped())).sum();
    }
}
