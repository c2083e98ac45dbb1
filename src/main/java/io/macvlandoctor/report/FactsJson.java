package io.macvlandoctor.report;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.HostFacts;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's facts as JSON, carried in the section header of our pcapng export so that `analyze` of that file
 * checks and diagnoses exactly as the live run did.
 */
public final class FactsJson {
    public static final String MARKER = "macvlan-doctor-facts/1 ";

    private FactsJson() {
    }

    /** The section comment: the marker, then JSON. */
    public static String encode(PathFacts p, HostFacts h, ProbeOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path(p));
        m.put("outcome", Map.of("hostGotReply", String.valueOf(o.hostGotReply()),
                "containerGotReply", String.valueOf(o.containerGotReply())));
        if (h != null) {
            m.put("host", host(h));
        }
        return MARKER + Json.write(m);
    }

    /** The facts of a section comment, or null when the comment is not ours or not readable. */
    @SuppressWarnings("unchecked")
    public static Decoded decode(String comment) {
        if (comment == null || !comment.startsWith(MARKER)) {
            return null;
        }
        try {
            Map<String, Object> m = (Map<String, Object>) Json.parse(comment.substring(MARKER.length()));
            PathFacts p = path((Map<String, Object>) m.get("path"));
            HostFacts h = m.get("host") == null ? null : host((Map<String, Object>) m.get("host"));
            Map<String, Object> o = (Map<String, Object>) m.getOrDefault("outcome", Map.of());
            return new Decoded(p, h, new ProbeOutcome(bool(o.get("hostGotReply")), bool(o.get("containerGotReply"))));
        } catch (RuntimeException e) {
            return null;
        }
    }

    public record Decoded(PathFacts path, HostFacts host, ProbeOutcome outcome) {
    }

    private static Boolean bool(Object o) {
        return "true".equals(o) ? Boolean.TRUE : "false".equals(o) ? Boolean.FALSE : null;
    }

    private static Map<String, Object> path(PathFacts p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parent", endpoint(p.parent()));
        m.put("shim", p.shim() == null ? null : endpoint(p.shim()));
        m.put("container", endpoint(p.container()));
        m.put("hostIp", ip(p.hostIp()));
        m.put("expectedSrcIp", ip(p.expectedSrcIp()));
        m.put("routeDev", p.routeDev());
        m.put("captured", p.captured().stream().map(Role::id).toList());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static PathFacts path(Map<String, Object> m) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object o : (List<Object>) m.get("captured")) {
            roles.add(Role.fromId((String) o));
        }
        return new PathFacts(endpoint((Map<String, Object>) m.get("parent")),
                m.get("shim") == null ? null : endpoint((Map<String, Object>) m.get("shim")),
                endpoint((Map<String, Object>) m.get("container")), ip(m.get("hostIp")), ip(m.get("expectedSrcIp")),
                (String) m.get("routeDev"), roles);
    }

    private static Map<String, Object> endpoint(Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("mac", e.mac() == 0 ? null : Mac.format(e.mac()));
        m.put("ip", ip(e.ip()));
        m.put("mode", e.mode());
        m.put("up", e.up());
        return m;
    }

    private static Endpoint endpoint(Map<String, Object> m) {
        Object mac = m.get("mac");
        return new Endpoint((String) m.get("name"), mac == null ? 0 : Mac.parse((String) mac), ip(m.get("ip")),
                (String) m.get("mode"), Boolean.TRUE.equals(m.get("up")));
    }

    private static Map<String, Object> host(HostFacts h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostNs", netns(h.hostNs()));
        m.put("containerNs", h.containerNs() == null ? null : netns(h.containerNs()));
        m.put("parent", link(h.parent()));
        m.put("shim", h.shim() == null ? null : link(h.shim()));
        m.put("containerIface", h.containerIface() == null ? null : link(h.containerIface()));
        m.put("containerIp", ip(h.containerIp()));
        m.put("hostIp", ip(h.hostIp()));
        List<Object> routes = new ArrayList<>();
        for (Route r : h.hostRoutes()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("dst", r.dst() == null ? null : r.dst().toString());
            rm.put("dev", r.dev());
            rm.put("gateway", r.gateway());
            rm.put("prefsrc", r.prefsrc());
            rm.put("scope", r.scope());
            routes.add(rm);
        }
        m.put("hostRoutes", routes);
        m.put("hostToContainer", lookup(h.hostToContainer()));
        m.put("containerToHost", lookup(h.containerToHost()));
        m.put("sysctls", new LinkedHashMap<>(h.sysctls()));
        m.put("neighbours", h.neighbours());
        m.put("parentWireless", h.parentWireless());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static HostFacts host(Map<String, Object> m) {
        List<Route> routes = new ArrayList<>();
        for (Object o : (List<Object>) m.get("hostRoutes")) {
            Map<String, Object> r = (Map<String, Object>) o;
            routes.add(new Route(r.get("dst") == null ? null : Cidr.parse((String) r.get("dst")), (String) r.get("dev"),
                    (String) r.get("gateway"), (String) r.get("prefsrc"), (String) r.get("scope")));
        }
        Map<String, Integer> sysctls = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("sysctls")).forEach((k, v) -> sysctls.put(k, ((Number) v).intValue()));
        return new HostFacts(netns((Map<String, Object>) m.get("hostNs")),
                m.get("containerNs") == null ? null : netns((Map<String, Object>) m.get("containerNs")),
                link((Map<String, Object>) m.get("parent")),
                m.get("shim") == null ? null : link((Map<String, Object>) m.get("shim")),
                m.get("containerIface") == null ? null : link((Map<String, Object>) m.get("containerIface")),
                ip(m.get("containerIp")), ip(m.get("hostIp")), routes,
                lookup((Map<String, Object>) m.get("hostToContainer")),
                lookup((Map<String, Object>) m.get("containerToHost")), sysctls,
                (List<String>) m.get("neighbours"), Boolean.TRUE.equals(m.get("parentWireless")));
    }

    private static Map<String, Object> link(Link l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", l.index());
        m.put("name", l.name());
        m.put("mac", l.mac());
        m.put("adminUp", l.adminUp());
        m.put("operState", l.operState());
        m.put("kind", l.kind());
        m.put("macvlanMode", l.macvlanMode());
        m.put("parentIndex", l.parentIndex());
        m.put("parentNetnsId", l.parentNetnsId());
        m.put("addresses", l.addresses().stream().map(Cidr::toString).toList());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Link link(Map<String, Object> m) {
        List<Cidr> addrs = ((List<Object>) m.get("addresses")).stream().map(o -> Cidr.parse((String) o)).toList();
        return new Link(((Number) m.get("index")).intValue(), (String) m.get("name"), (String) m.get("mac"),
                Boolean.TRUE.equals(m.get("adminUp")), (String) m.get("operState"), (String) m.get("kind"),
                (String) m.get("macvlanMode"), ((Number) m.get("parentIndex")).intValue(),
                ((Number) m.get("parentNetnsId")).intValue(), addrs);
    }

    private static Map<String, Object> lookup(RouteLookup r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dst", r.dst());
        m.put("dev", r.dev());
        m.put("prefsrc", r.prefsrc());
        m.put("gateway", r.gateway());
        return m;
    }

    private static RouteLookup lookup(Map<String, Object> m) {
        return m == null ? null : new RouteLookup((String) m.get("dst"), (String) m.get("dev"),
                (String) m.get("prefsrc"), (String) m.get("gateway"));
    }

    private static Map<String, Object> netns(Netns n) {
        return Map.of("kind", n.kind().name(), "ref", n.ref());
    }

    private static Netns netns(Map<String, Object> m) {
        return new Netns(Netns.Kind.valueOf((String) m.get("kind")), (String) m.get("ref"));
    }

    private static String ip(int ip) {
        return ip == 0 ? null : Ipv4.format(ip);
    }

    private static int ip(Object o) {
        return o == null ? 0 : Ipv4.parse((String) o);
    }
}
