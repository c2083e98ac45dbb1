package io.macvlandoctor.system;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses iproute2's JSON output (`ip -j ...`). Pure: tested on recorded kernel replies. */
public final class IpJson {
    private IpJson() {
    }

    /** `ip -j -d addr show`: links with their linkinfo (needs -d) and their IPv4 and IPv6 addresses. */
    public static List<Link> links(String json) {
        List<Map<String, Object>> raw = objects(json);
        // A lower device in the same namespace is named ("link": "ens33"); one in another namespace is given
        // by index and namespace id ("link_index", "link_netnsid").
        Map<String, Integer> indexByName = new HashMap<>();
        for (Map<String, Object> l : raw) {
            indexByName.put(str(l.get("ifname")), num(l.get("ifindex"), 0));
        }
        List<Link> out = new ArrayList<>();
        for (Map<String, Object> l : raw) {
            Map<String, Object> info = map(l.get("linkinfo"));
            Map<String, Object> data = info == null ? null : map(info.get("info_data"));
            String kind = info == null ? null : str(info.get("info_kind"));
            List<Cidr> addrs = new ArrayList<>();
            if (l.get("addr_info") instanceof List<?> list) {
                for (Object o : list) {
                    Map<String, Object> a = map(o);
                    if (a != null && ("inet".equals(a.get("family")) || "inet6".equals(a.get("family")))) {
                        IpAddress ip = IpAddress.tryParse(str(a.get("local")));
                        if (ip != null) {
                            int p = num(a.get("prefixlen"), ip.family().bits());
                            addrs.add(new Cidr(ip, Math.min(p, ip.family().bits())));
                        }
                    }
                }
            }
            List<?> flags = l.get("flags") instanceof List<?> f ? f : List.of();
            out.add(new Link(num(l.get("ifindex"), 0), str(l.get("ifname")), str(l.get("address")),
                    flags.contains("UP"), str(l.get("operstate")), kind,
                    "macvlan".equals(kind) && data != null ? str(data.get("mode")) : null,
                    parentIndex(l, indexByName), num(l.get("link_netnsid"), -1), addrs));
        }
        return out;
    }

    private static int parentIndex(Map<String, Object> l, Map<String, Integer> indexByName) {
        if (l.get("link_index") != null) {
            return num(l.get("link_index"), 0);
        }
        Object name = l.get("link");
        return name == null ? 0 : indexByName.getOrDefault(name.toString(), 0);
    }

    /** `ip -j route show` (either family; `table all` says each route's table, main's not): not the local table. */
    public static List<Route> routes(String json) {
        List<Route> out = new ArrayList<>();
        for (Map<String, Object> r : objects(json)) {
            String dst = str(r.get("dst"));
            String table = str(r.get("table"));
            if (dst == null || r.get("dev") == null || "local".equals(table) || r.get("type") != null
                    && !"unicast".equals(r.get("type"))) {
                continue;
            }
            Cidr cidr = "default".equals(dst) ? null : parseDst(dst);
            if (cidr == null && !"default".equals(dst)) {
                continue;
            }
            Object metric = r.get("metric");
            out.add(new Route(cidr, str(r.get("dev")), str(r.get("gateway")), str(r.get("prefsrc")),
                    str(r.get("scope")), str(r.get("protocol")), metric instanceof Number n ? n.intValue() : null,
                    "main".equals(table) ? null : table));
        }
        return out;
    }

    /** `ip -j rule show` of one family, in priority order. */
    public static List<PolicyRule> rules(String json, Family f) {
        List<PolicyRule> out = new ArrayList<>();
        for (Map<String, Object> r : objects(json)) {
            String src = str(r.get("src"));
            Object srclen = r.get("srclen");
            String from = src == null || src.equals("all") ? "all" : src + "/" + (srclen instanceof Number n
                    ? n.intValue() : f.bits());
            String dst = str(r.get("dst"));
            Object dstlen = r.get("dstlen");
            Cidr to = dst == null || dst.equals("all") ? null : Cidr.tryParse(dst + "/" + (dstlen instanceof Number n
                    ? n.intValue() : f.bits()));
            String fwmark = str(r.get("fwmark"));
            if (fwmark != null && r.get("fwmask") != null) {
                fwmark = fwmark + "/" + str(r.get("fwmask"));
            }
            List<String> other = new ArrayList<>();
            for (String k : List.of("ipproto", "sport", "dport", "uidrange", "tos", "l3mdev", "suppress_prefixlen",
                    "suppress_ifgroup", "tun_id", "goto")) {
                if (r.get(k) != null) {
                    other.add(k + " " + r.get(k));
                }
            }
            String action = str(r.get("action"));
            String table = str(r.get("table"));
            out.add(new PolicyRule(f, num(r.get("priority"), 0), from, to, str(r.get("iif")), str(r.get("oif")), fwmark,
                    table, action != null ? action : table != null ? "lookup" : "nop", r.containsKey("not"),
                    other.isEmpty() ? null : String.join(" ", other)));
        }
        return out;
    }

    /** `ip -j route get X`: one object in a list. */
    public static RouteLookup routeGet(String json) {
        List<Map<String, Object>> l = objects(json);
        if (l.isEmpty()) {
            return null;
        }
        Map<String, Object> r = l.get(0);
        String table = str(r.get("table"));
        return new RouteLookup(str(r.get("dst")), str(r.get("dev")), str(r.get("prefsrc")), str(r.get("gateway")),
                table == null ? "main" : table);
    }

    private static Cidr parseDst(String dst) {
        return Cidr.tryParse(dst);
    }

    /**
     * `ip -j neigh show ...` or `ip -j -6 neigh show proxy`: the entries, as neighbours of side.
     *
     * @param proxy the listing is of proxy entries
     */
    public static List<Neighbour> neighbours(String json, Side side, boolean proxy) {
        List<Neighbour> out = new ArrayList<>();
        for (Map<String, Object> n : objects(json)) {
            IpAddress ip = IpAddress.tryParse(str(n.get("dst")));
            if (ip == null) {
                continue;
            }
            Object state = n.get("state");
            String st = state instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                    : str(state);
            out.add(new Neighbour(side, ip, str(n.get("dev")), str(n.get("lladdr")), proxy ? null : st, proxy));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(String json) {
        String t = json.strip();
        if (t.isEmpty()) {
            return List.of();
        }
        Object v = Json.parse(t);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("iproute2 printed JSON that is not a list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static int num(Object o, int dflt) {
        return o instanceof Number n ? n.intValue() : dflt;
    }
}
