package io.macvlandoctor.report;

import static io.macvlandoctor.json.JsonFields.bool;
import static io.macvlandoctor.json.JsonFields.list;
import static io.macvlandoctor.json.JsonFields.num;
import static io.macvlandoctor.json.JsonFields.obj;
import static io.macvlandoctor.json.JsonFields.optBool;
import static io.macvlandoctor.json.JsonFields.optObj;
import static io.macvlandoctor.json.JsonFields.str;

import io.macvlandoctor.ToolException;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.json.JsonException;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.ParentNic;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Pcapng;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.Ruleset;
import io.macvlandoctor.model.RouteLookup;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Topology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts as JSON, in two places: the file `facts` writes (the kernel facts of a live target, for `analyze --facts`
 * on another machine), and the section header of our pcapng export (the run's topology, socket outcomes, coverage
 * and kernel facts), so that `analyze` of that file checks and diagnoses exactly as the live run did. Reading is
 * strict: anything malformed is an {@link IllegalArgumentException} saying what, never a guess.
 */
public final class FactsJson {
    /** Starts each section comment of ours; the index and count follow ("1/3 "), then a part of the JSON. */
    public static final String MARKER = "macvlan-doctor-facts/2 ";
    /** The first version's marker: recognised, and refused with a clear message. */
    private static final String OLD_MARKER = "macvlan-doctor-facts/1 ";
    /** `facts --output` files: {"factsVersion": 1, ...}. */
    public static final int FILE_VERSION = 1;
    /** A comment's bytes, with its marker, must fit a pcapng option (16-bit length). */
    private static final int CHUNK = Pcapng.MAX_OPTION - 64;
    /** More than this is not a capture's facts, whatever it claims. */
    public static final int MAX_TEXT = 16 << 20;

    private FactsJson() {
    }

    /** What a run of ours recorded with its frames. */
    public record Recorded(Topology topology, Map<Family, ProbeOutcome> outcomes, Coverage coverage,
                           KernelFacts kernel) {
    }

    /** The section comments that carry a run's facts: as many as needed, each within a pcapng option. */
    public static List<String> encodeComments(Recorded r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topology", topology(r.topology()));
        Map<String, Object> outcomes = new LinkedHashMap<>();
        r.outcomes().forEach((f, o) -> outcomes.put(f.id(), outcome(o)));
        m.put("outcomes", outcomes);
        m.put("coverage", coverage(r.coverage()));
        m.put("kernel", r.kernel() == null ? null : kernel(r.kernel()));
        byte[] json = Json.write(m).getBytes(StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        int n = Math.max(1, (json.length + CHUNK - 1) / CHUNK);
        // Split on character boundaries: a UTF-8 sequence never starts with 10xxxxxx.
        int start = 0;
        for (int i = 1; i <= n; i++) {
            int end = i == n ? json.length : Math.min(json.length, start + CHUNK);
            while (end < json.length && (json[end] & 0xc0) == 0x80) {
                end--;
            }
            parts.add(MARKER + i + "/" + n + " " + new String(json, start, end - start, StandardCharsets.UTF_8));
            start = end;
        }
        return parts;
    }

    /** Whether a section comment is one of ours (any version). */
    public static boolean isOurs(String comment) {
        return comment != null && (comment.startsWith(MARKER) || comment.startsWith(OLD_MARKER));
    }

    /**
     * The facts in a file's section comments, or null when none is ours.
     *
     * @throws IllegalArgumentException when a comment of ours cannot be read
     */
    public static Recorded decodeComments(List<String> comments) {
        Map<Integer, String> parts = new java.util.TreeMap<>();
        int total = -1;
        long size = 0;
        for (String c : comments) {
            if (c.startsWith(OLD_MARKER)) {
                throw new IllegalArgumentException("the facts were recorded by an older macvlan-doctor (format 1): "
                        + "give --container-ip and --host-ip (or --facts) to analyze it without them");
            }
            if (!c.startsWith(MARKER)) {
                continue;
            }
            String rest = c.substring(MARKER.length());
            int sp = rest.indexOf(' ');
            String[] idx = sp < 0 ? new String[0] : rest.substring(0, sp).split("/");
            if (idx.length != 2 || !idx[0].matches("[0-9]{1,4}") || !idx[1].matches("[0-9]{1,4}")) {
                throw new IllegalArgumentException("a facts comment without its part number");
            }
            int i = Integer.parseInt(idx[0]);
            int n = Integer.parseInt(idx[1]);
            if (n < 1 || i < 1 || i > n || total >= 0 && n != total || parts.containsKey(i)) {
                throw new IllegalArgumentException("facts comment parts do not match (" + idx[0] + "/" + idx[1] + ")");
            }
            total = n;
            size += rest.length();
            if (size > MAX_TEXT) {
                throw new IllegalArgumentException("the facts comments are larger than " + (MAX_TEXT >> 20) + " MiB");
            }
            parts.put(i, rest.substring(sp + 1));
        }
        if (total < 0) {
            return null;
        }
        if (parts.size() != total) {
            throw new IllegalArgumentException("facts comment parts missing (" + parts.size() + " of " + total + ")");
        }
        String json = String.join("", parts.values());
        try {
            Map<String, Object> m = obj(Json.parse(json), "facts");
            Map<Family, ProbeOutcome> outcomes = new EnumMap<>(Family.class);
            Map<String, Object> om = optObj(m, "outcomes");
            if (om != null) {
                for (Map.Entry<String, Object> e : om.entrySet()) {
                    outcomes.put(family(e.getKey()), outcome(obj(e.getValue(), "outcome")));
                }
            }
            Map<String, Object> k = optObj(m, "kernel");
            return new Recorded(topology(obj(m, "topology")), outcomes, coverage(obj(m, "coverage")),
                    k == null ? null : kernel(k));
        } catch (ToolException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("the recorded facts are not readable: " + e.getMessage(), e);
        }
    }

    /** The text of a facts file (`facts --output`). */
    public static String writeFile(KernelFacts k, String tool) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factsVersion", FILE_VERSION);
        m.put("tool", tool);
        m.put("kernel", kernel(k));
        return Json.pretty(m);
    }

    /**
     * The kernel facts of a facts file.
     *
     * @throws IllegalArgumentException saying what is wrong (a JsonException with the offset for bad syntax)
     */
    public static KernelFacts readFile(String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("larger than " + (MAX_TEXT >> 20) + " MiB: not a facts file");
        }
        Map<String, Object> m = obj(Json.parse(text), "facts file");
        if (num(m, "factsVersion", -1) != FILE_VERSION) {
            throw new JsonException(-1, "not a macvlan-doctor facts file (factsVersion " + FILE_VERSION
                    + " expected; write one with: macvlan-doctor facts --output FILE)");
        }
        try {
            return kernel(obj(m, "kernel"));
        } catch (ToolException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    // ---- topology, outcomes, coverage ----

    private static Map<String, Object> topology(Topology t) {
        return TopologyJson.write(t);
    }

    private static Topology topology(Map<String, Object> m) {
        return TopologyJson.read(m);
    }

    private static Map<String, Object> outcome(ProbeOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", socket(o.host()));
        m.put("container", socket(o.container()));
        return m;
    }

    private static ProbeOutcome outcome(Map<String, Object> m) {
        return new ProbeOutcome(socket(obj(m, "host")), socket(obj(m, "container")));
    }

    private static Map<String, Object> socket(ProbeOutcome.Socket s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gotReply", s.gotReply());
        m.put("drops", s.drops());
        m.put("sendError", s.sendError());
        m.put("gaveUpNs", s.gaveUpNs());
        return m;
    }

    private static ProbeOutcome.Socket socket(Map<String, Object> m) {
        return new ProbeOutcome.Socket(optBool(m, "gotReply"), num(m, "drops", -1), str(m, "sendError"),
                num(m, "gaveUpNs", 0));
    }

    private static Map<String, Object> coverage(Coverage c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("captured", c.captured().stream().map(Role::id).sorted().toList());
        m.put("lost", c.lost().stream().map(Role::id).sorted().toList());
        Map<String, Object> d = new LinkedHashMap<>();
        c.dropped().forEach((r, n) -> d.put(r.id(), n));
        m.put("dropped", d);
        return m;
    }

    private static Coverage coverage(Map<String, Object> m) {
        Map<Role, Long> dropped = new EnumMap<>(Role.class);
        Map<String, Object> d = optObj(m, "dropped");
        if (d != null) {
            for (String k : d.keySet()) {
                dropped.put(role(k), num(d, k, 0));
            }
        }
        return new Coverage(roles(list(m, "captured")), roles(list(m, "lost")), dropped);
    }

    private static Set<Role> roles(List<Object> l) {
        Set<Role> s = EnumSet.noneOf(Role.class);
        for (Object o : l) {
            s.add(role(str(o, "role")));
        }
        return s;
    }

    private static Role role(String id) {
        Role r = Role.fromId(id);
        if (r == null) {
            throw new JsonException(-1, "unknown role '" + id + "'");
        }
        return r;
    }

    // ---- kernel facts ----

    public static Map<String, Object> kernel(KernelFacts k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostNs", netns(k.hostNs()));
        m.put("containerNs", k.containerNs() == null ? null : netns(k.containerNs()));
        m.put("parent", k.parent().name());
        m.put("shim", k.shim() == null ? null : k.shim().name());
        m.put("hostLinks", k.hostLinks().stream().map(FactsJson::link).toList());
        m.put("containerIface", k.containerIface() == null ? null : link(k.containerIface()));
        Map<String, Object> ips = new LinkedHashMap<>();
        k.containerIps().forEach((f, a) -> ips.put(f.id(), a.toString()));
        m.put("containerIps", ips);
        m.put("hostRoutes", k.hostRoutes().stream().map(FactsJson::route).toList());
        m.put("hostToContainer", lookups(k.hostToContainer()));
        m.put("containerToHost", lookups(k.containerToHost()));
        m.put("sysctls", new java.util.TreeMap<>(k.sysctls()));
        m.put("containerSysctls", new java.util.TreeMap<>(k.containerSysctls()));
        m.put("neighbours", k.neighbours().stream().map(FactsJson::neighbour).toList());
        m.put("firewall", k.firewall().stream().map(FactsJson::firewall).toList());
        m.put("parentWireless", k.parentWireless());
        ParentNic nic = k.parentNic();
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("driver", nic.driver());
        n.put("wireless", nic.wireless());
        n.put("promisc", nic.promisc());
        n.put("allmulti", nic.allmulti());
        n.put("promiscuity", nic.promiscuity());
        n.put("bondMode", nic.bondMode());
        m.put("parentNic", n);
        Map<String, Object> gw = new LinkedHashMap<>();
        k.containerGateways().forEach((f, a) -> gw.put(f.id(), a.toString()));
        m.put("containerGateways", gw);
        m.put("rules", k.rules().stream().map(FactsJson::rule).toList());
        m.put("decisions", KernelJson.events(k.decisions()));
        return m;
    }

    public static KernelFacts kernel(Map<String, Object> m) {
        List<Link> links = new ArrayList<>();
        for (Object o : list(m, "hostLinks")) {
            links.add(link(obj(o, "hostLinks")));
        }
        String parentName = str(m, "parent");
        Link parent = links.stream().filter(l -> l.name().equals(parentName)).findFirst()
                .orElseThrow(() -> new JsonException(-1, "parent '" + parentName + "' is not among hostLinks"));
        String shimName = str(m, "shim");
        Link shim = shimName == null ? null : links.stream().filter(l -> l.name().equals(shimName)).findFirst()
                .orElseThrow(() -> new JsonException(-1, "shim '" + shimName + "' is not among hostLinks"));
        Map<Family, IpAddress> ips = new EnumMap<>(Family.class);
        Map<String, Object> im = obj(m, "containerIps");
        for (String f : im.keySet()) {
            ips.put(family(f), IpAddress.parse(str(im, f)));
        }
        if (ips.isEmpty()) {
            throw new JsonException(-1, "containerIps: no address");
        }
        List<Route> routes = new ArrayList<>();
        for (Object o : list(m, "hostRoutes")) {
            routes.add(route(obj(o, "hostRoutes")));
        }
        Map<String, Integer> sysctls = ints(optObj(m, "sysctls"));
        Map<String, Integer> ctrSysctls = ints(optObj(m, "containerSysctls"));
        List<Neighbour> neighbours = new ArrayList<>();
        for (Object o : list(m, "neighbours")) {
            neighbours.add(neighbour(obj(o, "neighbours")));
        }
        List<Ruleset> fw = new ArrayList<>();
        for (Object o : list(m, "firewall")) {
            fw.add(firewall(obj(o, "firewall")));
        }
        // parentNic and containerGateways are new in 0.3.0: files of 0.2.0 have only parentWireless.
        Map<String, Object> n = optObj(m, "parentNic");
        ParentNic nic = n == null ? new ParentNic(null, bool(m, "parentWireless"), false, false, -1, null)
                : new ParentNic(str(n, "driver"), bool(n, "wireless"), bool(n, "promisc"), bool(n, "allmulti"),
                        (int) num(n, "promiscuity", -1), str(n, "bondMode"));
        Map<Family, IpAddress> gateways = new EnumMap<>(Family.class);
        Map<String, Object> gm = optObj(m, "containerGateways");
        if (gm != null) {
            for (String f : gm.keySet()) {
                gateways.put(family(f), IpAddress.parse(str(gm, f)));
            }
        }
        Map<String, Object> ctrIface = optObj(m, "containerIface");
        Map<String, Object> cns = optObj(m, "containerNs");
        return new KernelFacts(netns(obj(m, "hostNs")), cns == null ? null : netns(cns), links, parent, shim,
                ctrIface == null ? null : link(ctrIface), ips, routes, lookupsOf(optObj(m, "hostToContainer")),
                lookupsOf(optObj(m, "containerToHost")), sysctls, ctrSysctls, neighbours, fw, nic, gateways,
                rules(list(m, "rules")), KernelJson.read(list(m, "decisions")));
    }

    private static Map<String, Integer> ints(Map<String, Object> m) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (m != null) {
            for (String k : m.keySet()) {
                out.put(k, (int) num(m, k, 0));
            }
        }
        return out;
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

    private static Link link(Map<String, Object> m) {
        List<Cidr> addrs = new ArrayList<>();
        for (Object o : list(m, "addresses")) {
            addrs.add(Cidr.parse(str(o, "addresses")));
        }
        String name = str(m, "name");
        if (name == null) {
            throw new JsonException(-1, "a link without a name");
        }
        return new Link((int) num(m, "index", 0), name, str(m, "mac"), bool(m, "adminUp"), str(m, "operState"),
                str(m, "kind"), str(m, "macvlanMode"), (int) num(m, "parentIndex", 0),
                (int) num(m, "parentNetnsId", -1), addrs);
    }

    private static Map<String, Object> route(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dst", r.dst() == null ? null : r.dst().toString());
        m.put("dev", r.dev());
        m.put("gateway", r.gateway());
        m.put("prefsrc", r.prefsrc());
        m.put("scope", r.scope());
        m.put("protocol", r.protocol());
        m.put("metric", r.metric());
        m.put("table", r.table());
        return m;
    }

    private static Route route(Map<String, Object> m) {
        String dst = str(m, "dst");
        Object metric = m.get("metric");
        return new Route(dst == null ? null : Cidr.parse(dst), str(m, "dev"), str(m, "gateway"), str(m, "prefsrc"),
                str(m, "scope"), str(m, "protocol"), metric == null ? null : (int) num(m, "metric", 0), str(m, "table"));
    }

    private static Map<String, Object> lookups(Map<Family, RouteLookup> l) {
        Map<String, Object> m = new LinkedHashMap<>();
        l.forEach((f, r) -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("dst", r.dst());
            rm.put("dev", r.dev());
            rm.put("prefsrc", r.prefsrc());
            rm.put("gateway", r.gateway());
            rm.put("table", r.table());
            m.put(f.id(), rm);
        });
        return m;
    }

    private static Map<Family, RouteLookup> lookupsOf(Map<String, Object> m) {
        Map<Family, RouteLookup> out = new EnumMap<>(Family.class);
        if (m != null) {
            for (String f : m.keySet()) {
                Map<String, Object> r = obj(m, f);
                out.put(family(f), new RouteLookup(str(r, "dst"), str(r, "dev"), str(r, "prefsrc"),
                        str(r, "gateway"), str(r, "table")));
            }
        }
        return out;
    }

    /** Policy rules by their record's components (prefixes as text). */
    private static final io.macvlandoctor.json.RecordCodec RULES = new io.macvlandoctor.json.RecordCodec()
            .text(IpAddress.class, IpAddress::parse).text(Cidr.class, Cidr::parse);

    private static Object rule(PolicyRule r) {
        return RULES.write(r);
    }

    private static List<PolicyRule> rules(List<Object> l) {
        List<PolicyRule> out = new ArrayList<>();
        for (Object o : l) {
            out.add(RULES.read(o, PolicyRule.class, "rules"));
        }
        return out;
    }

    private static Map<String, Object> neighbour(Neighbour n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", n.side().id());
        m.put("ip", n.ip().toString());
        m.put("dev", n.dev());
        m.put("mac", n.mac());
        m.put("state", n.state());
        m.put("proxy", n.proxy());
        return m;
    }

    private static Neighbour neighbour(Map<String, Object> m) {
        return new Neighbour(side(m), IpAddress.parse(str(m, "ip")), str(m, "dev"), str(m, "mac"),
                str(m, "state"), bool(m, "proxy"));
    }

    private static Map<String, Object> firewall(Ruleset r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", r.side().id());
        m.put("tool", r.tool());
        m.put("json", r.json());
        m.put("text", r.text());
        return m;
    }

    private static Ruleset firewall(Map<String, Object> m) {
        return new Ruleset(side(m), str(m, "tool"), str(m, "json"), str(m, "text"));
    }

    private static Side side(Map<String, Object> m) {
        Side s = Side.of(str(m, "side"));
        if (s == null) {
            throw new JsonException(-1, "side: host or container expected, not '" + str(m, "side") + "'");
        }
        return s;
    }

    private static Map<String, Object> netns(Netns n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", n.kind().name());
        m.put("ref", n.ref());
        return m;
    }

    private static Netns netns(Map<String, Object> m) {
        String kind = str(m, "kind");
        try {
            return new Netns(Netns.Kind.valueOf(kind == null ? "" : kind), str(m, "ref") == null ? "" : str(m, "ref"));
        } catch (IllegalArgumentException e) {
            throw new JsonException(-1, "unknown namespace kind '" + kind + "'");
        }
    }

    private static Family family(String id) {
        for (Family f : Family.values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw new JsonException(-1, "unknown family '" + id + "'");
    }

    private static String text(IpAddress a) {
        return a == null ? null : a.toString();
    }

    private static IpAddress ip(Map<String, Object> m, String key) {
        String v = str(m, key);
        return v == null ? null : IpAddress.parse(v);
    }
}
