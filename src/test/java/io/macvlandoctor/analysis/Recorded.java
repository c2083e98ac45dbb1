package io.macvlandoctor.analysis;

import io.macvlandoctor.capture.CaptureFileReader;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.report.FactsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reference capture of the lab (captures/NAME.pcapng, written by the tool's own export) with the facts and the
 * live verdicts of the same run (captures/NAME.json): recorded frames for tests that need no root.
 */
public record Recorded(String name, List<Frame> frames, PathFacts facts, Map<String, String> liveStatuses,
                       List<String> liveCauses, ProbeOutcome outcome) {
    public static final Path DIR = Path.of("captures");

    @SuppressWarnings("unchecked")
    public static Recorded load(String name) {
        List<Frame> frames = new ArrayList<>();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        ProbeOutcome outcome = ProbeOutcome.UNKNOWN;
        try (CaptureFileReader r = CaptureFileReader.open(DIR.resolve(name + ".pcapng"), null, Direction.UNKNOWN)) {
            for (Frame f; (f = r.next()) != null; ) {
                frames.add(f);
            }
            for (CapturePoint p : r.points()) {
                roles.add(p.role());
            }
            for (String c : r.sectionComments()) {
                FactsJson.Decoded d = FactsJson.decode(c);
                if (d != null) {
                    outcome = d.outcome();
                }
            }
        }
        Map<String, Object> json;
        try {
            json = (Map<String, Object>) Json.parse(Files.readString(DIR.resolve(name + ".json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> topo = (Map<String, Object>) json.get("topology");
        Endpoint parent = endpoint((Map<String, Object>) topo.get("parent"));
        Endpoint shim = topo.get("shim") == null ? null : endpoint((Map<String, Object>) topo.get("shim"));
        Endpoint ctr = endpoint((Map<String, Object>) topo.get("container"));
        Object src = topo.get("expectedSrcIp");
        PathFacts facts = new PathFacts(parent, shim, ctr, parent.ip(), src == null ? 0 : Ipv4.parse((String) src),
                null, roles);
        Map<String, String> statuses = new LinkedHashMap<>();
        for (Object o : (List<Object>) json.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) o;
            statuses.put((String) c.get("id"), (String) c.get("status"));
        }
        List<String> causes = new ArrayList<>();
        for (Object o : (List<Object>) json.getOrDefault("diagnosis", List.of())) {
            causes.add((String) ((Map<String, Object>) o).get("cause"));
        }
        return new Recorded(name, frames, facts, statuses, causes, outcome);
    }

    private static Endpoint endpoint(Map<String, Object> m) {
        String mac = (String) m.get("mac");
        String ip = (String) m.get("ip");
        return new Endpoint((String) m.get("name"), mac == null ? 0 : Mac.parse(mac), ip == null ? 0 : Ipv4.parse(ip),
                (String) m.get("mode"), Boolean.TRUE.equals(m.get("up")));
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
