package io.macvlandoctor.analysis;

import static io.macvlandoctor.analysis.FirewallEval.icmpTypeNumber;
import static io.macvlandoctor.analysis.FirewallEval.iface;
import static io.macvlandoctor.analysis.FirewallEval.protocol;

import io.macvlandoctor.analysis.FirewallEval.Outcome;
import io.macvlandoctor.analysis.FirewallEval.Packet;
import io.macvlandoctor.analysis.FirewallEval.Verdict;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.json.JsonFields;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.FirewallRule;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Ruleset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `nft -j list ruleset`, walked as the kernel walks the base chains of a hook: every base chain of the packet's
 * hook and family must let it pass (an accept in one ends only that chain). Pure.
 */
final class NftEval {
    private NftEval() {
    }

        /** Every base chain of the packet's hook must let it pass: accept in one only ends that chain. */
    static List<FirewallRule> dropping(Ruleset r, Packet p, Side side, Set<String> iptablesTables) {
        Map<String, Object> root;
        try {
            root = JsonFields.obj(Json.parse(r.json()), "nft");
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Map<String, Map<String, Object>> chains = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> rules = new HashMap<>();
        Map<String, List<Object>> sets = new HashMap<>();
        for (Object o : JsonFields.list(root, "nftables")) {
            Map<String, Object> item = JsonFields.obj(o, "nftables");
            Map<String, Object> c = JsonFields.optObj(item, "chain");
            Map<String, Object> ru = JsonFields.optObj(item, "rule");
            Map<String, Object> set = JsonFields.optObj(item, "set");
            if (set != null) {
                // A named set (@name in a rule): its elements, or nothing known when it has none listed.
                sets.put(key(set, JsonFields.str(set, "name")), JsonFields.list(set, "elem"));
            } else if (c != null) {
                chains.put(key(c, JsonFields.str(c, "name")), c);
            } else if (ru != null) {
                rules.computeIfAbsent(key(ru, JsonFields.str(ru, "chain")), k -> new ArrayList<>()).add(ru);
            }
        }
        List<FirewallRule> out = new ArrayList<>();
        String hook = p.inbound() ? "input" : "output";
        for (Map.Entry<String, Map<String, Object>> e : chains.entrySet()) {
            Map<String, Object> c = e.getValue();
            String family = JsonFields.str(c, "family");
            boolean applies = "netdev".equals(family)
                    ? (p.inbound() ? "ingress" : "egress").equals(JsonFields.str(c, "hook"))
                            && devices(r.text(), JsonFields.str(c, "table"), JsonFields.str(c, "name")).contains(p.iface())
                    : hook.equals(JsonFields.str(c, "hook")) && familyApplies(family, p);
            if (!applies || iptablesTables.contains(family + " " + JsonFields.str(c, "table"))) {
                continue;
            }
            Outcome o = walk(e.getKey(), chains, rules, sets, r, p, side, 0);
            if (o.verdict() == Verdict.DROP) {
                out.add(o.rule());
            } else if (o.verdict() != Verdict.ACCEPT && "drop".equals(JsonFields.str(c, "policy"))) {
                out.add(new FirewallRule(side, "nft", family + " " + JsonFields.str(c, "table"),
                        JsonFields.str(c, "name"), "policy drop", 0, p.family(), p.inbound(), p.what()));
            }
        }
        return out;
    }

    private static String key(Map<String, Object> m, String chain) {
        return JsonFields.str(m, "family") + " " + JsonFields.str(m, "table") + " " + chain;
    }

    /**
     * The devices a netdev chain is bound to: `nft -j` does not say them, the listing does ("type filter hook
     * ingress device "eth0" priority ..." or "devices = { a, b }").
     */
    static List<String> devices(String listing, String table, String chain) {
        List<String> out = new ArrayList<>();
        if (listing == null) {
            return out;
        }
        boolean inTable = false;
        boolean inChain = false;
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("table ")) {
                inTable = line.startsWith("table netdev " + table + " ");
                inChain = false;
            } else if (inTable && line.startsWith("chain ")) {
                inChain = line.startsWith("chain " + chain + " ");
            } else if (inChain && line.contains(" hook ")) {
                java.util.regex.Matcher one = java.util.regex.Pattern.compile("device \"?([^\" ;]+)").matcher(line);
                if (one.find()) {
                    out.add(one.group(1));
                }
                java.util.regex.Matcher many = java.util.regex.Pattern.compile("devices = \\{([^}]*)\\}").matcher(line);
                if (many.find()) {
                    for (String d : many.group(1).split(",")) {
                        out.add(d.strip().replace("\"", ""));
                    }
                }
            }
        }
        return out;
    }

    /** ARP meets only the arp family's chains; IP packets the ip, ip6 and inet ones. */
    private static boolean familyApplies(String family, Packet p) {
        if (p.arp()) {
            return "arp".equals(family);
        }
        Family f = p.family();
        return "inet".equals(family) || "ip".equals(family) && f == Family.V4 || "ip6".equals(family)
                && f == Family.V6;
    }

    static Outcome walk(String chainKey, Map<String, Map<String, Object>> chains,
                        Map<String, List<Map<String, Object>>> rules, Map<String, List<Object>> sets, Ruleset r,
                        Packet p, Side side, int depth) {
        for (Map<String, Object> rule : rules.getOrDefault(chainKey, List.of())) {
            Verdict v = Verdict.CONTINUE;
            String jump = null;
            boolean applies = true;
            for (Object o : JsonFields.list(rule, "expr")) {
                Map<String, Object> x = JsonFields.obj(o, "expr");
                if (x.containsKey("match")) {
                    String table = JsonFields.str(rule, "family") + " " + JsonFields.str(rule, "table") + " ";
                    Boolean m = match(JsonFields.obj(x, "match"), p, name -> sets.get(table + name));
                    if (m == null || !m) {
                        applies = false;
                        break;
                    }
                } else if (x.containsKey("accept")) {
                    v = Verdict.ACCEPT;
                } else if (x.containsKey("drop") || x.containsKey("reject")) {
                    v = Verdict.DROP;
                } else if (x.containsKey("return")) {
                    v = Verdict.RETURN;
                } else if (x.containsKey("jump") || x.containsKey("goto")) {
                    Map<String, Object> j = JsonFields.obj(x, x.containsKey("jump") ? "jump" : "goto");
                    jump = JsonFields.str(j, "target");
                } else if (!(x.containsKey("counter") || x.containsKey("log") || x.containsKey("limit")
                        || x.containsKey("comment"))) {
                    applies = false;
                    break;
                }
            }
            if (!applies) {
                continue;
            }
            if (jump != null && depth < 16) {
                String family = JsonFields.str(rule, "family");
                Outcome o = walk(family + " " + JsonFields.str(rule, "table") + " " + jump, chains, rules, sets, r,
                        p, side, depth + 1);
                if (o.verdict() == Verdict.ACCEPT || o.verdict() == Verdict.DROP) {
                    return o;
                }
                continue;
            }
            if (v == Verdict.DROP) {
                String family = JsonFields.str(rule, "family");
                long handle = JsonFields.num(rule, "handle", 0);
                return new Outcome(Verdict.DROP, new FirewallRule(side, "nft", family + " "
                        + JsonFields.str(rule, "table"), JsonFields.str(rule, "chain"), text(r.text(), family,
                            JsonFields.str(rule, "table"), JsonFields.str(rule, "chain"), handle),
                        handle, p.family(), p.inbound(), p.what()));
            }
            if (v != Verdict.CONTINUE) {
                return new Outcome(v, null);
            }
        }
        return new Outcome(Verdict.RETURN, null);
    }

    /**
     * The rule as `nft -a list ruleset` prints it: the line ending in "# handle N" in its table and chain (handles
     * are numbered per table, and tables, chains and sets have handles too).
     */
    static String text(String listing, String family, String table, String chain, long handle) {
        if (listing != null) {
            boolean inTable = false;
            boolean inChain = false;
            for (String raw : listing.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("table ")) {
                    inTable = line.startsWith("table " + family + " " + table + " ");
                    inChain = false;
                } else if (inTable && line.startsWith("chain ")) {
                    inChain = line.startsWith("chain " + chain + " ");
                } else if (inChain && line.endsWith("# handle " + handle)) {
                    return line.substring(0, line.lastIndexOf("# handle")).strip();
                }
            }
        }
        return "rule handle " + handle;
    }

    /** A match: true, false, or null when it is not one this evaluator understands. */
    static Boolean match(Map<String, Object> m, Packet p, java.util.function.Function<String, List<Object>> sets) {
        String op = JsonFields.str(m, "op");
        Object left = m.get("left");
        Object right = named(m.get("right"), sets);
        if (!(left instanceof Map<?, ?>)) {
            return null;
        }
        Map<String, Object> l = JsonFields.obj(left, "left");
        Boolean eq = null;
        Map<String, Object> payload = JsonFields.optObj(l, "payload");
        Map<String, Object> meta = JsonFields.optObj(l, "meta");
        Map<String, Object> ct = JsonFields.optObj(l, "ct");
        if (payload != null) {
            String proto = JsonFields.str(payload, "protocol");
            String field = JsonFields.str(payload, "field");
            if ("arp".equals(proto) || p.arp()) {
                eq = arp(field, proto, right, p);
                if (eq == null) {
                    return null;
                }
            } else if (("ip".equals(proto) || "ip6".equals(proto)) && ("saddr".equals(field) || "daddr".equals(field))) {
                if ("ip".equals(proto) != (p.family() == Family.V4)) {
                    return false;
                }
                eq = addressIn(right, "saddr".equals(field) ? p.src() : p.dst());
            } else if (("icmp".equals(proto) || "icmpv6".equals(proto)) && "type".equals(field)) {
                if ("icmp".equals(proto) != (p.family() == Family.V4)) {
                    return false;
                }
                eq = valueIn(right, v -> {
                    Integer n = icmpTypeNumber(v, p.family());
                    return n != null && n == p.icmpType();
                });
            } else {
                return null;
            }
        } else if (meta != null) {
            String key = JsonFields.str(meta, "key");
            eq = switch (key == null ? "" : key) {
                case "l4proto" -> valueIn(right, v -> protocol(v, p.family()));
                case "nfproto" -> valueIn(right, v -> v.equals(p.family() == Family.V4 ? "ipv4" : "ipv6"));
                case "iifname", "iif" -> p.inbound() ? valueIn(right, v -> iface(v, p.iface())) : Boolean.FALSE;
                case "oifname", "oif" -> !p.inbound() ? valueIn(right, v -> iface(v, p.iface())) : Boolean.FALSE;
                default -> null;
            };
        } else if (ct != null && "state".equals(JsonFields.str(ct, "key"))) {
            eq = valueIn(right, v -> v.equalsIgnoreCase(p.ctState()));
        }
        if (eq == null) {
            return null;
        }
        return "!=".equals(op) ? !eq : eq;
    }

    /** A match on an ARP packet: its operation and protocol addresses; anything else is not judged. */
    private static Boolean arp(String field, String proto, Object right, Packet p) {
        if (!"arp".equals(proto)) {
            return null;
        }
        if (!p.arp()) {
            return false;
        }
        return switch (field == null ? "" : field) {
            case "operation" -> valueIn(right, v -> v.equals("request") ? p.icmpType() == 1 : v.equals("reply")
                    ? p.icmpType() == 2 : v.equals(Integer.toString(p.icmpType())));
            case "saddr ip" -> addressIn(right, p.src());
            case "daddr ip" -> addressIn(right, p.dst());
            default -> null;
        };
    }

    /** A reference to a named set ("@ctrs") stands for the set's elements; unknown sets stay references. */
    private static Object named(Object right, java.util.function.Function<String, List<Object>> sets) {
        if (right instanceof String s && s.startsWith("@")) {
            List<Object> elems = sets.apply(s.substring(1));
            if (elems != null) {
                return Map.of("set", elems);
            }
        }
        return right;
    }

    private static Boolean addressIn(Object right, IpAddress a) {
        if (right instanceof String s) {
            Cidr c = Cidr.tryParse(s);
            return c == null ? null : c.contains(a);
        }
        if (right instanceof Map<?, ?> m) {
            Map<String, Object> r = JsonFields.obj(m, "right");
            Map<String, Object> prefix = JsonFields.optObj(r, "prefix");
            if (prefix != null) {
                Cidr c = Cidr.tryParse(JsonFields.str(prefix, "addr") + "/" + JsonFields.num(prefix, "len", -1));
                return c == null ? null : c.contains(a);
            }
            if (r.containsKey("set")) {
                for (Object o : JsonFields.list(r, "set")) {
                    Boolean b = addressIn(o, a);
                    if (b == null) {
                        return null;
                    }
                    if (b) {
                        return true;
                    }
                }
                return false;
            }
        }
        return null;
    }

    private static Boolean valueIn(Object right, java.util.function.Predicate<String> p) {
        if (right instanceof String || right instanceof Number) {
            return p.test(String.valueOf(right));
        }
        List<Object> values = null;
        if (right instanceof List<?> l) {
            values = new ArrayList<>(l);
        } else if (right instanceof Map<?, ?> m && m.get("set") instanceof List<?> l) {
            values = new ArrayList<>(l);
        }
        if (values == null) {
            return null;
        }
        for (Object o : values) {
            if (!(o instanceof String) && !(o instanceof Number)) {
                return null;
            }
            if (p.test(String.valueOf(o))) {
                return true;
            }
        }
        return false;
    }
}
