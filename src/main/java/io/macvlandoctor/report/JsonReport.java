package io.macvlandoctor.report;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.model.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report for scripts: the fields of the contract (docs/design.md), described by docs/report.schema.json. */
public final class JsonReport {
    /** 2: verdict "inconclusive", checks[].unproven, diagnosis[].notes and family, addresses as strings of either family. */
    public static final int SCHEMA_VERSION = 2;

    private JsonReport() {
    }

    public static void write(Report r, PrintWriter out) {
        out.print(Json.pretty(toMap(r)));
        out.flush();
    }

    /** Many containers: the verdict over all, a summary of the counts, and one report each under "containers". */
    public static void writeMany(List<Report> reports, PrintWriter out) {
        out.print(Json.pretty(many(reports)));
        out.flush();
    }

    public static Map<String, Object> many(List<Report> reports) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("command", reports.get(0).command());
        Verdict all = Verdict.PASS;
        Map<String, Object> verdicts = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            verdicts.put(v.id(), 0L);
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        for (String s : List.of("pass", "fail", "unproven", "notApplicable")) {
            checks.put(s, 0L);
        }
        for (Report r : reports) {
            all = all.worst(r.verdict());
            verdicts.merge(r.verdict().id(), 1L, (a, b) -> (Long) a + (Long) b);
            for (CheckResult c : r.checks()) {
                checks.merge(statusKey(c.status()), 1L, (a, b) -> (Long) a + (Long) b);
            }
        }
        m.put("verdict", all.id());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("containers", (long) reports.size());
        summary.put("verdicts", verdicts);
        summary.put("checks", checks);
        m.put("summary", summary);
        List<Object> each = new ArrayList<>();
        reports.forEach(r -> each.add(toMap(r)));
        m.put("containers", each);
        return m;
    }

    private static String statusKey(CheckStatus s) {
        return switch (s) {
            case PASS -> "pass";
            case FAIL -> "fail";
            case UNPROVEN -> "unproven";
            case NOT_APPLICABLE -> "notApplicable";
        };
    }

    public static Map<String, Object> toMap(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("command", r.command());
        if (r.label() != null) {
            m.put("container", r.label());
        }
        m.put("verdict", r.verdict().id());
        m.put("reasons", r.reasons());
        m.put("topology", r.topology() == null ? null : topology(r.topology()));
        List<Object> checks = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id().id());
            cm.put("family", c.id().family().id());
            cm.put("status", c.status().id());
            cm.put("unproven", c.status() == CheckStatus.UNPROVEN);
            cm.put("summary", c.summary());
            cm.put("evidence", frames(c.evidence()));
            checks.add(cm);
        }
        m.put("checks", checks);
        List<Object> diag = new ArrayList<>();
        for (Diagnosis d : r.diagnosis()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("cause", d.cause().code());
            dm.put("family", d.family() == null ? null : d.family().id());
            dm.put("summary", d.summary());
            dm.put("facts", d.facts());
            dm.put("evidence", frames(d.frames()));
            dm.put("kernel", KernelJson.events(d.kernel()));
            dm.put("fix", d.fixCommands());
            dm.put("notes", d.notes());
            dm.put("curedBy", d.curedBy() == null ? null : d.curedBy().code());
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
            pm.put("kernel", KernelJson.events(p.kernel()));
            phases.add(pm);
        }
        m.put("phases", phases);
        m.put("setup", r.setup());
        m.put("notes", r.notes());
        m.put("facts", r.kernel() == null ? List.of() : FactLines.of(r.kernel()));
        return m;
    }

    private static Map<String, Object> topology(Topology t) {
        Map<String, Object> m = TopologyJson.write(t);
        // Schema 2's readers find the IPv4 expected source here too.
        Topology.Addressing v4 = t.of(io.macvlandoctor.model.Family.V4);
        m.put("expectedSrcIp", v4 == null ? null : text(v4.expectedSrcIp()));
        return m;
    }

    private static String text(IpAddress a) {
        return a == null ? null : a.toString();
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
            m.put("srcIp", text(f.srcIp()));
            m.put("dstIp", text(f.dstIp()));
            m.put("kind", f.kind().id());
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
            // One handle for both directions (a container's interface): "both".
            m.put("direction", s.direction() == null ? "both" : s.direction().word());
            m.put("captured", s.captured());
            m.put("received", s.received());
            m.put("dropped", s.dropped());
            m.put("ifDropped", s.ifDropped());
            m.put("lost", s.lost());
            l.add(m);
        }
        return l;
    }
}
