package io.macvlandoctor.system;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Link;
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

    /** `ip -j -d addr show`: links with their linkinfo (needs -d) and IPv4 addresses. */
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
                    if (a != null && "inet".equals(a.get("family"))) {
                        Integer ip = Ipv4.tryParse(str(a.get("local")));
                        if (ip != null) {
                            addrs.add(new Cidr(ip, num(a.get("prefixlen"), 32)));
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

    /** `ip -j route show`: the main table. */
    public static List<Route> routes(String json) {
        List<Route> out = new ArrayList<>();
        for (Map<String, Object> r : objects(json)) {
            String dst = str(r.get("dst"));
            if (dst == null || r.get("dev") == null) {
                continue;
            }
            Cidr cidr = "default".equals(dst) ? null : parseDst(dst);
            if (cidr == null && !"default".equals(dst)) {
                continue;
            }
            out.add(new Route(cidr, str(r.get("dev")), str(r.get("gateway")), str(r.get("prefsrc")),
                    str(r.get("scope"))));
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
        return new RouteLookup(str(r.get("dst")), str(r.get("dev")), str(r.get("prefsrc")), str(r.get("gateway")));
    }

    private static Cidr parseDst(String dst) {
        int slash = dst.indexOf('/');
        Integer ip = Ipv4.tryParse(slash < 0 ? dst : dst.substring(0, slash));
        if (ip == null) {
            return null;
        }
        return new Cidr(ip, slash < 0 ? 32 : Integer.parseInt(dst.substring(slash + 1)));
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
