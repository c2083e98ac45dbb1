package io.macvlandoctor.report;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report for scripts: the fields of DESIGN §4 (schemaVersion 1). */
public final class JsonReport {
    public static final int SCHEMA_VERSION = 1;

    private JsonReport() {
    }

    public static void write(Report r, PrintWriter out) {
        out.print(Json.pretty(toMap(r)));
        out.flush();
    }

    /** Many containers: a verdict over all, and one report each under "containers". */
    public static void writeMany(List<Report> reports, PrintWriter out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("command", reports.get(0).command());
        m.put("verdict", reports.stream().allMatch(Report::passed) ? "pass" : "fail");
        List<Object> each = new ArrayList<>();
        reports.forEach(r -> each.add(toMap(r)));
        m.put("containers", each);
        out.print(Json.pretty(m));
        out.flush();
    }

    public static Map<String, Object> toMap(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("command", r.command());
        m.put("verdict", r.passed() ? "pass" : "fail");
        m.put("topology", r.facts() == null ? null : topology(r.facts()));
        List<Object> checks = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id());
            cm.put("status", c.status().id());
            cm.put("summary", c.summary());
            cm.put("evidence", frames(c.evidence()));
            checks.add(cm);
        }
        m.put("checks", checks);
        List<Object> diag = new ArrayList<>();
        for (Diagnosis d : r.diagnosis()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("cause", d.cause());
            dm.put("summary", d.summary());
            dm.put("facts", d.facts());
            dm.put("evidence", frames(d.frames()));
            dm.put("fix", d.fix());
            diag.add(dm);
        }
        m.put("diagnosis", diag);
        List<Object> phases = new ArrayList<>();
        for (Phase p : r.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("title", p.title());
            List<Object> ex = new ArrayList<>();
            for (Phase.Labelled l : p.exchanges()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("label", l.label());
                if (l.exchange() != null) {
                    em.put("description", l.exchange().describe());
                    em.put("requests", frames(l.exchange().requests()));
                    em.put("replies", frames(l.exchange().replies()));
                }
                ex.add(em);
            }
            pm.put("exchanges", ex);
            pm.put("capture", stats(p.stats()));
            phases.add(pm);
        }
        m.put("phases", phases);
        m.put("setup", r.setup());
        m.put("facts", r.systemFacts());
        return m;
    }

    private static Map<String, Object> topology(PathFacts f) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("parent", endpoint(f.parent()));
        t.put("shim", f.shim() == null ? null : endpoint(f.shim()));
        t.put("container", endpoint(f.container()));
        t.put("expectedSrcIp", f.expectedSrcIp() == 0 ? null : Ipv4.format(f.expectedSrcIp()));
        return t;
    }

    private static Map<String, Object> endpoint(Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("mac", e.mac() == 0 ? null : Mac.format(e.mac()));
        m.put("ip", e.ip() == 0 ? null : Ipv4.format(e.ip()));
        if (e.mode() != null) {
            m.put("mode", e.mode());
        }
        m.put("up", e.up());
        return m;
    }

    public static List<Object> frames(List<Frame> frames) {
        List<Object> l = new ArrayList<>();
        for (Frame f : frames) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("point", f.point().name());
            m.put("role", f.point().role().id());
            m.put("direction", f.direction().word());
            m.put("timeNs", f.timeNs());
            m.put("srcMac", Mac.format(f.srcMac()));
            m.put("dstMac", Mac.format(f.dstMac()));
            m.put("srcIp", f.srcIp() == 0 ? null : Ipv4.format(f.srcIp()));
            m.put("dstIp", f.dstIp() == 0 ? null : Ipv4.format(f.dstIp()));
            m.put("kind", FrameText.kind(f.kind()));
            if (f.kind().isEcho()) {
                m.put("icmpId", f.icmpId());
                m.put("icmpSeq", f.icmpSeq());
            }
            l.add(m);
        }
        return l;
    }

    private static List<Object> stats(List<CaptureStats> stats) {
        List<Object> l = new ArrayList<>();
        for (CaptureStats s : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("point", s.point().name());
            m.put("direction", s.direction().word());
            m.put("captured", s.captured());
            m.put("received", s.received());
            m.put("dropped", s.dropped());
            m.put("ifDropped", s.ifDropped());
            l.add(m);
        }
        return l;
    }
}
