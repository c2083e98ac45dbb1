package io.macvlandoctor.analysis;

import io.macvlandoctor.capture.CaptureFileReader;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.report.FactsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference capture of the lab (captures/NAME.pcapng, written by the tool's own export, with the run's facts in
 * its section header) and the JSON report of the same run (captures/NAME.json): recorded frames for tests that need
 * no root.
 */
public record Recorded(String name, List<Frame> frames, Topology topology, Coverage coverage,
                       Map<Family, ProbeOutcome> outcomes, KernelFacts kernel, Map<String, String> liveStatuses,
                       List<String> liveCauses, List<io.macvlandoctor.model.CapturePoint> points) {
    public static final Path DIR = Path.of("captures");

    @SuppressWarnings("unchecked")
    public static Recorded load(String name) {
        List<Frame> frames = new ArrayList<>();
        FactsJson.Recorded facts;
        List<io.macvlandoctor.model.CapturePoint> points;
        try (CaptureFileReader r = CaptureFileReader.open(DIR.resolve(name + ".pcapng"), null, Direction.UNKNOWN)) {
            for (Frame f; (f = r.next()) != null; ) {
                frames.add(f);
            }
            points = r.points();
            facts = FactsJson.decodeComments(r.sectionComments().stream().map(CaptureFileReader.SectionComment::text)
                    .toList());
        }
        Map<String, Object> json;
        try {
            json = (Map<String, Object>) Json.parse(Files.readString(DIR.resolve(name + ".json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        for (Object o : (List<Object>) json.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) o;
            statuses.put((String) c.get("id"), Boolean.TRUE.equals(c.get("unproven")) ? "unproven"
                    : (String) c.get("status"));
        }
        List<String> causes = new ArrayList<>();
        for (Object o : (List<Object>) json.getOrDefault("diagnosis", List.of())) {
            causes.add((String) ((Map<String, Object>) o).get("cause"));
        }
        return new Recorded(name, frames, facts.topology(), facts.coverage(), facts.outcomes(), facts.kernel(),
                statuses, causes, points);
    }

    public ProbeOutcome outcome(Family f) {
        return outcomes.getOrDefault(f, ProbeOutcome.UNKNOWN);
    }

    /** Every reference capture. */
    public static List<String> names() {
        try (var s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcapng"))
                    .map(n -> n.substring(0, n.length() - ".pcapng".length())).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
