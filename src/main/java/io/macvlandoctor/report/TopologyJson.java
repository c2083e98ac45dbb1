package io.macvlandoctor.report;

import io.macvlandoctor.json.JsonException;
import io.macvlandoctor.json.JsonFields;
import io.macvlandoctor.json.RecordCodec;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Topology;
import java.util.Map;

/**
 * The topology's one encoding, derived from its records, for the report and for the facts our pcapng export
 * carries alike: addresses and MACs as text, families as "4" and "6". Files written by 0.2.0 named the expected
 * source "expectedSrc" in the facts: that key is still read.
 */
public final class TopologyJson {
    /** Families as reports and options name them: "4", "6". */
    static final RecordCodec.Converter<Family> FAMILY = new RecordCodec.Converter<>() {
        @Override
        public Object write(Family f) {
            return f.id();
        }

        @Override
        public Family read(Object json) {
            String id = JsonFields.str(json, "family");
            for (Family f : Family.values()) {
                if (f.id().equals(id)) {
                    return f;
                }
            }
            throw new JsonException(-1, "unknown family '" + id + "'");
        }
    };

    static final RecordCodec CODEC = new RecordCodec()
            .text(IpAddress.class, IpAddress::parse)
            .type(Family.class, FAMILY)
            .component(Endpoint.class, "mac", new RecordCodec.Converter<Long>() {
                @Override
                public Object write(Long mac) {
                    return mac == 0 ? null : Mac.format(mac);
                }

                @Override
                public Long read(Object json) {
                    return Mac.parse(JsonFields.str(json, "mac"));
                }
            })
            .alias(Topology.Addressing.class, "expectedSrcIp", "expectedSrc");

    private TopologyJson() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> write(Topology t) {
        return (Map<String, Object>) CODEC.write(t);
    }

    public static Topology read(Object json) {
        Topology t = CODEC.read(json, Topology.class, "topology");
        if (t.parent() == null || t.container() == null || t.addressing().isEmpty()) {
            throw new JsonException(-1, "topology: parent, container and an addressing family are needed");
        }
        return t;
    }
}
