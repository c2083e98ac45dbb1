package io.macvlandoctor.analysis;

import io.macvlandoctor.json.Json;
import io.macvlandoctor.json.JsonFields;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.FirewallRule;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Ruleset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which netfilter rules drop the probe's packets: each packet is walked through the filter chains of its hook
 * (INPUT or OUTPUT; nft base chains of hook input or output) the way the kernel walks it, first matching verdict
 * wins, jumps followed, the policy at the end. Only matches this class understands are judged; a rule with any
 * other match is taken not to match (it is never blamed on a guess). Pure.
 */
public final class FirewallEval {
    private FirewallEval() {
    }

    /**
     * One packet of the probe, as netfilter sees it.
     *
     * @param inbound arriving (INPUT, iface is the in-interface) or leaving (OUTPUT, the out-interface)
     * @param icmpType the ICMP or ICMPv6 type (8/0 echo, 128/129 echo, 135/136 neighbour discovery)
     * @param ctState conntrack's state: NEW, ESTABLISHED, or UNTRACKED (neighbour discovery)
     * @param what the packet in words, for the diagnosis
     */
    public record Packet(Family family, boolean inbound, String iface, IpAddress src, IpAddress dst, int icmpType,
                         String ctState, String what) {
    }

    private enum Verdict { ACCEPT, DROP, RETURN, CONTINUE }

    private record Outcome(Verdict verdict, FirewallRule rule) {
    }

    /** The rules (or policies) that drop one of the packets, each once, in the order found. */
    public static List<FirewallRule> dropping(List<Ruleset> rulesets, String side, List<Packet> packets) {
        List<FirewallRule> out = new ArrayList<>();
        Set<String> iptablesTables = new java.util.HashSet<>();
        for (Ruleset r : rulesets) {
            if (!r.side().equals(side) || r.tool().equals("nft")) {
                continue;
            }
            Family f = r.tool().equals("ip6tables") ? Family.V6 : Family.V4;
            Map<String, Table> tables = Iptables.parse(r.text());
            tables.keySet().forEach(t -> iptablesTables.add((f == Family.V4 ? "ip " : "ip6 ") + t));
            Table filter = tables.get("filter");
            if (filter == null) {
                continue;
            }
            for (Packet p : packets) {
                if (p.family() != f) {
                    continue;
                }
                Outcome o = Iptables.walk(filter, p.inbound() ? "INPUT" : "OUTPUT", p, r.tool(), side, 0);
                if (o.verdict() == Verdict.DROP && !out.contains(o.rule())) {
                    out.add(o.rule());
                }
            }
        }
        for (Ruleset r : rulesets) {
            if (r.side().equals(side) && r.tool().equals("nft") && r.json() != null) {
                for (Packet p : packets) {
                    for (FirewallRule d : Nft.dropping(r, p, side, iptablesTables)) {
                        if (!out.contains(d)) {
                            out.add(d);
                        }
                    }
                }
            }
        }
        return out;
    }

    // ---- iptables-save ----

    private record Rule(String chain, List<String> tokens, String line, int position) {
    }

    private record Table(String name, Map<String, String> policies, Map<String, List<Rule>> chains) {
    }

    private static final class Iptables {
        static Map<String, Table> parse(String text) {
            Map<String, Table> tables = new LinkedHashMap<>();
            Table cur = null;
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("*")) {
                    cur = new Table(line.substring(1), new HashMap<>(), new LinkedHashMap<>());
                    tables.put(cur.name(), cur);
                } else if (cur != null && line.startsWith(":")) {
                    String[] p = line.substring(1).split("\\s+");
                    cur.chains().putIfAbsent(p[0], new ArrayList<>());
                    if (p.length > 1 && !p[1].equals("-")) {
                        cur.policies().put(p[0], p[1]);
                    }
                } else if (cur != null && (line.startsWith("-A ") || line.startsWith("["))) {
                    String rule = line.startsWith("[") ? line.substring(line.indexOf(']') + 1).strip() : line;
                    List<String> t = tokens(rule);
                    if (t.size() >= 2 && t.get(0).equals("-A")) {
                        List<Rule> chain = cur.chains().computeIfAbsent(t.get(1), k -> new ArrayList<>());
                        chain.add(new Rule(t.get(1), t.subList(2, t.size()), rule, chain.size() + 1));
                    }
                }
            }
            return tables;
        }

        static Outcome walk(Table t, String chain, Packet p, String tool, String side, int depth) {
            List<Rule> rules = t.chains().getOrDefault(chain, List.of());
            for (Rule r : rules) {
                String target = matches(r.tokens(), p);
                if (target == null) {
                    continue;
                }
                switch (target) {
                    case "ACCEPT":
                        return new Outcome(Verdict.ACCEPT, null);
                    case "DROP":
                    case "REJECT":
                        return new Outcome(Verdict.DROP, new FirewallRule(side, tool, t.name(), r.chain(), r.line(),
                                r.position(), p.family(), p.inbound(), p.what()));
                    case "RETURN":
                        return new Outcome(Verdict.RETURN, null);
                    default:
                        if (t.chains().containsKey(target) && depth < 16) {
                            Outcome o = walk(t, target, p, tool, side, depth + 1);
                            if (o.verdict() == Verdict.ACCEPT || o.verdict() == Verdict.DROP) {
                                return o;
                            }
                        }
                        // LOG, MARK and other non-terminating targets: on to the next rule.
                }
            }
            if (depth > 0) {
                return new Outcome(Verdict.RETURN, null);
            }
            String policy = t.policies().getOrDefault(chain, "ACCEPT");
            if (policy.equals("DROP")) {
                return new Outcome(Verdict.DROP, new FirewallRule(side, tool, t.name(), chain, ":" + chain + " DROP "
                        + "(the chain's policy)", 0, p.family(), p.inbound(), p.what()));
            }
            return new Outcome(Verdict.ACCEPT, null);
        }

        /** The rule's target when all its matches hold for the packet, else null (also for a match not known). */
        static String matches(List<String> t, Packet p) {
            String target = null;
            boolean neg = false;
            for (int i = 0; i < t.size(); i++) {
                String o = t.get(i);
                if (o.equals("!")) {
                    neg = true;
                    continue;
                }
                String v = i + 1 < t.size() ? t.get(i + 1) : "";
                Boolean m;
                switch (o) {
                    case "-p", "--protocol" -> m = protocol(v, p.family());
                    case "-s", "--source" -> m = addresses(v, p.src());
                    case "-d", "--destination" -> m = addresses(v, p.dst());
                    case "-i", "--in-interface" -> m = p.inbound() && iface(v, p.iface());
                    case "-o", "--out-interface" -> m = !p.inbound() && iface(v, p.iface());
                    case "--icmp-type", "--icmpv6-type" -> m = icmpType(v, p);
                    case "--state", "--ctstate" -> m = states(v, p.ctState());
                    case "--dst-type" -> m = addrType(v, p.dst(), p.inbound());
                    case "--src-type" -> m = addrType(v, p.src(), !p.inbound());
                    case "-m", "--match", "--comment", "--limit", "--limit-burst", "--reject-with", "--log-prefix",
                         "--log-level" -> {
                        i++;
                        neg = false;
                        continue;
                    }
                    case "-j", "--jump", "-g", "--goto" -> {
                        target = v;
                        i++;
                        // Target options (--reject-with ...) follow; they decide nothing here.
                        continue;
                    }
                    case "-f", "--fragment" -> m = false;
                    default -> {
                        if (target != null && o.startsWith("--")) {
                            i++;
                            continue;
                        }
                        return null;
                    }
                }
                i++;
                if (m == null || m == neg) {
                    return null;
                }
                neg = false;
            }
            return target;
        }
    }

    private static Boolean protocol(String v, Family f) {
        String x = v.toLowerCase(Locale.ROOT);
        return switch (x) {
            case "all", "0" -> true;
            case "icmp", "1" -> f == Family.V4;
            case "icmpv6", "ipv6-icmp", "58" -> f == Family.V6;
            default -> false;
        };
    }

    private static Boolean addresses(String v, IpAddress a) {
        for (String part : v.split(",")) {
            Cidr c = Cidr.tryParse(part);
            if (c == null) {
                return null;
            }
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean iface(String v, String iface) {
        return v.endsWith("+") ? iface.startsWith(v.substring(0, v.length() - 1))
                : v.endsWith("*") ? iface.startsWith(v.substring(0, v.length() - 1)) : v.equals(iface);
    }

    private static Boolean icmpType(String v, Packet p) {
        String x = v.toLowerCase(Locale.ROOT);
        if (x.equals("any")) {
            return true;
        }
        if (x.contains("/")) {
            x = x.substring(0, x.indexOf('/'));
        }
        Integer n = icmpTypeNumber(x, p.family());
        return n == null ? null : n == p.icmpType();
    }

    private static Integer icmpTypeNumber(String x, Family f) {
        if (x.matches("[0-9]{1,3}")) {
            return Integer.parseInt(x);
        }
        return switch (x) {
            case "echo-request" -> f == Family.V4 ? 8 : 128;
            case "echo-reply" -> f == Family.V4 ? 0 : 129;
            case "neighbour-solicitation", "neighbor-solicitation", "nd-neighbor-solicit" -> 135;
            case "neighbour-advertisement", "neighbor-advertisement", "nd-neighbor-advert" -> 136;
            case "destination-unreachable" -> f == Family.V4 ? 3 : 1;
            default -> null;
        };
    }

    private static boolean states(String v, String state) {
        for (String s : v.split(",")) {
            if (s.equalsIgnoreCase(state)) {
                return true;
            }
        }
        return false;
    }

    private static Boolean addrType(String v, IpAddress a, boolean local) {
        String x = v.toUpperCase(Locale.ROOT);
        return switch (x) {
            case "LOCAL" -> local && !a.isMulticast();
            case "MULTICAST" -> a.isMulticast();
            case "UNICAST" -> !a.isMulticast();
            case "BROADCAST", "ANYCAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT" -> false;
            default -> null;
        };
    }

    /** Splits a rule as a shell would: words, with double-quoted strings kept whole. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && quoted && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    // ---- nft ----

    private static final class Nft {
        /** Every base chain of the packet's hook must let it pass: accept in one only ends that chain. */
        static List<FirewallRule> dropping(Ruleset r, Packet p, String side, Set<String> iptablesTables) {
            Map<String, Object> root;
            try {
                root = JsonFields.obj(Json.parse(r.json()), "nft");
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            Map<String, Map<String, Object>> chains = new LinkedHashMap<>();
            Map<String, List<Map<String, Object>>> rules = new HashMap<>();
            for (Object o : JsonFields.list(root, "nftables")) {
                Map<String, Object> item = JsonFields.obj(o, "nftables");
                Map<String, Object> c = JsonFields.optObj(item, "chain");
                Map<String, Object> ru = JsonFields.optObj(item, "rule");
                if (c != null) {
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
                if (!hook.equals(JsonFields.str(c, "hook")) || !familyApplies(family, p.family())
                        || iptablesTables.contains(family + " " + JsonFields.str(c, "table"))) {
                    continue;
                }
                Outcome o = walk(e.getKey(), chains, rules, r, p, side, 0);
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

        private static boolean familyApplies(String family, Family f) {
            return "inet".equals(family) || "ip".equals(family) && f == Family.V4 || "ip6".equals(family)
                    && f == Family.V6;
        }

        static Outcome walk(String chainKey, Map<String, Map<String, Object>> chains,
                            Map<String, List<Map<String, Object>>> rules, Ruleset r, Packet p, String side, int depth) {
            for (Map<String, Object> rule : rules.getOrDefault(chainKey, List.of())) {
                Verdict v = Verdict.CONTINUE;
                String jump = null;
                boolean applies = true;
                for (Object o : JsonFields.list(rule, "expr")) {
                    Map<String, Object> x = JsonFields.obj(o, "expr");
                    if (x.containsKey("match")) {
                        Boolean m = match(JsonFields.obj(x, "match"), p);
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
                    Outcome o = walk(family + " " + JsonFields.str(rule, "table") + " " + jump, chains, rules, r, p,
                            side, depth + 1);
                    if (o.verdict() == Verdict.ACCEPT || o.verdict() == Verdict.DROP) {
                        return o;
                    }
                    continue;
                }
                if (v == Verdict.DROP) {
                    String family = JsonFields.str(rule, "family");
                    long handle = JsonFields.num(rule, "handle", 0);
                    return new Outcome(Verdict.DROP, new FirewallRule(side, "nft", family + " "
                            + JsonFields.str(rule, "table"), JsonFields.str(rule, "chain"), text(r.text(), handle),
                            handle, p.family(), p.inbound(), p.what()));
                }
                if (v != Verdict.CONTINUE) {
                    return new Outcome(v, null);
                }
            }
            return new Outcome(Verdict.RETURN, null);
        }

        /** The rule as `nft -a list ruleset` prints it (the line ending in "# handle N"). */
        static String text(String listing, long handle) {
            if (listing != null) {
                for (String line : listing.split("\n")) {
                    if (line.strip().endsWith("# handle " + handle)) {
                        return line.strip().substring(0, line.strip().lastIndexOf("# handle")).strip();
                    }
                }
            }
            return "rule handle " + handle;
        }

        /** A match: true, false, or null when it is not one this evaluator understands. */
        static Boolean match(Map<String, Object> m, Packet p) {
            String op = JsonFields.str(m, "op");
            Object left = m.get("left");
            Object right = m.get("right");
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
                if (("ip".equals(proto) || "ip6".equals(proto)) && ("saddr".equals(field) || "daddr".equals(field))) {
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
}
