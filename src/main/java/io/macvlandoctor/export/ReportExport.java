package io.macvlandoctor.export;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.report.FactsJson;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A report's frames as pcapng, with a comment on every frame that is evidence for a check or a diagnosis. */
public final class ReportExport {
    private ReportExport() {
    }

    /** Several reports of one run (many containers): their frames once each, every report's comments. */
    public static void writeMany(List<Report> reports, OutputStream out, String application) throws IOException {
        Set<CapturePoint> points = new LinkedHashSet<>();
        Map<Frame, Boolean> seen = new IdentityHashMap<>();
        List<Frame> frames = new ArrayList<>();
        Map<Frame, List<String>> comments = new IdentityHashMap<>();
        for (Report r : reports) {
            for (Phase p : r.phases()) {
                p.stats().forEach(s -> points.add(s.point()));
                for (Frame f : p.frames()) {
                    if (seen.put(f, Boolean.TRUE) == null) {
                        frames.add(f);
                    }
                }
            }
            comments(r).forEach((f, c) -> comments.computeIfAbsent(f, k -> new ArrayList<>()).addAll(c));
        }
        PcapngWriter.write(out, application, List.of(), List.copyOf(points), frames, comments);
    }

    public static void write(Report r, OutputStream out, String application) throws IOException {
        Set<CapturePoint> points = new LinkedHashSet<>();
        List<Frame> frames = new ArrayList<>();
        for (Phase p : r.phases()) {
            for (CaptureStats s : p.stats()) {
                points.add(s.point());
            }
            frames.addAll(p.frames());
        }
        Phase last = r.lastPhase();
        List<String> facts = r.topology() == null || last == null ? List.of()
                : FactsJson.encodeComments(new FactsJson.Recorded(r.topology(), last.outcomes(), last.coverage(),
                        r.kernel()));
        List<String> shb = new ArrayList<>(facts);
        shb.addAll(kernelComments(r));
        PcapngWriter.write(out, application, shb, List.copyOf(points), frames, comments(r));
    }

    /**
     * The kernel's decisions of each round, one section comment each, as the text report lists them (Wireshark
     * shows them under Statistics > Capture File Properties).
     */
    static List<String> kernelComments(Report r) {
        List<String> l = new ArrayList<>();
        for (Phase p : r.phases()) {
            if (!p.kernel().isEmpty()) {
                StringBuilder b = new StringBuilder("the kernel's decisions while the probes ran (" + p.title() + "):");
                p.kernel().forEach(k -> b.append("\nkernel: ").append(k.describe()));
                l.add(b.toString());
            }
        }
        return l;
    }

    /** "container-to-host.arp-flux (pass): 192.168.136.130 is-at ..." on each evidence frame, by identity. */
    public static Map<Frame, List<String>> comments(Report r) {
        Map<Frame, List<String>> m = new IdentityHashMap<>();
        for (CheckResult c : r.checks()) {
            for (Frame f : c.evidence()) {
                m.computeIfAbsent(f, k -> new ArrayList<>()).add(c.id().id() + " (" + c.status().id() + "): "
                        + c.summary());
            }
        }
        for (Diagnosis d : r.diagnosis()) {
            for (Frame f : d.frames()) {
                m.computeIfAbsent(f, k -> new ArrayList<>()).add("cause " + d.cause().code() + ": " + d.summary());
            }
        }
        return m;
    }
}
