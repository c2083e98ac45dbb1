package io.macvlandoctor.report;

import io.macvlandoctor.json.RecordCodec;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel's decisions as JSON, in reports (evidence of kind "kernel") and in facts files: each event by its
 * record's components, with "type" (lookup, neigh, drop) and the line the text report shows.
 */
public final class KernelJson {
    static final RecordCodec CODEC = new RecordCodec().text(IpAddress.class, IpAddress::parse)
            .type(io.macvlandoctor.model.Family.class, TopologyJson.FAMILY);

    private KernelJson() {
    }

    @SuppressWarnings("unchecked")
    public static List<Object> events(List<KernelEvent> events) {
        List<Object> l = new ArrayList<>();
        for (KernelEvent e : events) {
            Map<String, Object> m = (Map<String, Object>) CODEC.write(e);
            m.put("text", e.describe());
            l.add(m);
        }
        return l;
    }

    public static List<KernelEvent> read(List<Object> json) {
        List<KernelEvent> l = new ArrayList<>();
        for (Object o : json) {
            l.add(CODEC.read(o, KernelEvent.class, "decisions"));
        }
        return l;
    }
}
