package io.macvlandoctor.engine;

import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.Diagnoser;
import io.macvlandoctor.analysis.FactLines;
import io.macvlandoctor.analysis.FrameDiagnoser;
import io.macvlandoctor.analysis.FramesFacts;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.capture.CaptureFileReader;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.report.FactsJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * analyze: the same correlation, checks and diagnosis as a live run, on capture files. Files are streamed and
 * only ARP and ICMP frames are kept, so memory follows the traffic that matters, not the size of the files.
 */
public final class Analyzer {
    /**
     * One --capture: a file, and the role and direction of its frames when the file does not say.
     *
     * @param role null: the file is our own pcapng export, whose interfaces say their roles
     */
    public record Input(Role role, Direction direction, Path file) {
    }

    public Report analyze(List<Input> inputs, int containerIpHint, int hostIpHint) {
        List<Frame> kept = new ArrayList<>();
        Set<CapturePoint> points = new LinkedHashSet<>();
        Map<CapturePoint, long[]> counts = new LinkedHashMap<>();
        FactsJson.Decoded embedded = null;
        long total = 0;
        for (Input in : inputs) {
            try (CaptureFileReader r = CaptureFileReader.open(in.file(), in.role(), in.direction())) {
                for (Frame f; (f = r.next()) != null; ) {
                    counts.computeIfAbsent(f.point(), k -> new long[1])[0]++;
                    if (f.kind().isArp() || f.kind().isEcho() || f.kind() == FrameKind.ICMP_OTHER) {
                        kept.add(f);
                    }
                }
                points.addAll(r.points());
                total += r.framesRead();
                for (String c : r.sectionComments()) {
                    FactsJson.Decoded d = FactsJson.decode(c);
                    if (d != null && embedded == null) {
                        embedded = d;
                    }
                }
            }
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        points.forEach(p -> roles.add(p.role()));
        List<String> notes = new ArrayList<>();
        notes.add(total + " frames read from " + inputs.size() + " file" + (inputs.size() == 1 ? "" : "s") + ", "
                + kept.size() + " of them ARP or ICMP");
        PathFacts facts;
        HostFacts host = null;
        List<Frame> frames = kept;
        boolean recorded = embedded != null && containerIpHint == 0 && hostIpHint == 0;
        if (recorded) {
            PathFacts e = embedded.path();
            facts = new PathFacts(e.parent(), e.shim(), e.container(), e.hostIp(), e.expectedSrcIp(), e.routeDev(),
                    roles);
            host = embedded.host();
            notes.add("facts: as recorded by macvlan-doctor with the capture");
        } else {
            FramesFacts.Inferred inf = FramesFacts.infer(kept, points, containerIpHint, hostIpHint);
            facts = inf.facts();
            frames = inf.frames();
            notes.addAll(inf.notes());
        }
        ProbeExchanges ex = ProbeExchanges.select(facts, null, Correlator.correlate(frames));
        ProbeOutcome outcome = recorded ? embedded.outcome() : ProbeOutcome.UNKNOWN;
        List<CheckResult> checks = PathChecks.evaluate(facts, ex, outcome);
        List<Diagnosis> diagnosis = host != null ? Diagnoser.diagnose(host, ex, checks)
                : FrameDiagnoser.diagnose(facts, ex, checks);
        if (host != null) {
            notes.addAll(FactLines.of(host));
        }
        List<CaptureStats> stats = new ArrayList<>();
        counts.forEach((p, n) -> stats.add(new CaptureStats(p, Direction.UNKNOWN, -1, -1, -1, n[0])));
        Phase phase = new Phase("captures", ex.labelled(), stats, frames, outcome);
        return new Report("analyze", facts, List.of(phase), checks, diagnosis, List.of(), notes, host);
    }
}
