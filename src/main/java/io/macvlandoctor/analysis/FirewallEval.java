package io.macvlandoctor.analysis;

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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which netfilter rules drop the probe's packets: each packet is walked through the filter chains of its hook
 * (INPUT or OUTPUT; nft base chains of hook input or output, of the ip, ip6, inet and, for ARP, arp families) the
 * way the kernel walks it, first matching verdict wins, jumps followed, the policy at the end. Two interpreters,
 * one per tool's format (IptablesEval, NftEval); only matches they understand are judged, and a rule with any
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
                         String ctState, String what, boolean arp) {
        public Packet(Family family, boolean inbound, String iface, IpAddress src, IpAddress dst, int icmpType,
                      String ctState, String what) {
            this(family, inbound, iface, src, dst, icmpType, ctState, what, false);
        }

        /** An ARP packet (nft's arp family sees it, iptables never): operation 1 request, 2 reply. */
        public static Packet arp(boolean inbound, String iface, IpAddress src, IpAddress dst, int operation,
                                 String what) {
            return new Packet(Family.V4, inbound, iface, src, dst, operation, "UNTRACKED", what, true);
        }
    }

    enum Verdict { ACCEPT, DROP, RETURN, CONTINUE }

    record Outcome(Verdict verdict, FirewallRule rule) {
    }

    /** The rules (or policies) that drop one of the packets, each once, in the order found. */
    public static List<FirewallRule> dropping(List<Ruleset> rulesets, Side side, List<Packet> packets) {
        List<FirewallRule> out = new ArrayList<>();
        Set<String> iptablesTables = new java.util.HashSet<>();
        for (Ruleset r : rulesets) {
            if (r.side() != side || r.tool().equals("nft")) {
                continue;
            }
            Family f = r.tool().startsWith("ip6tables") ? Family.V6 : Family.V4;
            Map<String, IptablesEval.Table> tables = IptablesEval.parse(r.text());
            if (!r.tool().endsWith("-legacy")) {
                // iptables-nft's tables show up in nft's ruleset too: walked once, as iptables rules.
                tables.keySet().forEach(t -> iptablesTables.add((f == Family.V4 ? "ip " : "ip6 ") + t));
            }
            IptablesEval.Table filter = tables.get("filter");
            if (filter == null) {
                continue;
            }
            for (Packet p : packets) {
                if (p.family() != f || p.arp()) {
                    continue;
                }
                Outcome o = IptablesEval.walk(filter, p.inbound() ? "INPUT" : "OUTPUT", p, r.tool(), side, 0);
                if (o.verdict() == Verdict.DROP && !out.contains(o.rule())) {
                    out.add(o.rule());
                }
            }
        }
        for (Ruleset r : rulesets) {
            if (r.side() == side && r.tool().equals("nft") && r.json() != null) {
                for (Packet p : packets) {
                    for (FirewallRule d : NftEval.dropping(r, p, side, iptablesTables)) {
                        if (!out.contains(d)) {
                            out.add(d);
                        }
                    }
                }
            }
        }
        return out;
    }

    static Boolean protocol(String v, Family f) {
        String x = v.toLowerCase(Locale.ROOT);
        return switch (x) {
            case "all", "0" -> true;
            case "icmp", "1" -> f == Family.V4;
            case "icmpv6", "ipv6-icmp", "58" -> f == Family.V6;
            default -> false;
        };
    }

    static Boolean addresses(String v, IpAddress a) {
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

    static boolean iface(String v, String iface) {
        return v.endsWith("+") ? iface.startsWith(v.substring(0, v.length() - 1))
                : v.endsWith("*") ? iface.startsWith(v.substring(0, v.length() - 1)) : v.equals(iface);
    }

    static Boolean icmpType(String v, Packet p) {
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

    static Integer icmpTypeNumber(String x, Family f) {
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

    static boolean states(String v, String state) {
        for (String s : v.split(",")) {
            if (s.equalsIgnoreCase(state)) {
                return true;
            }
        }
        return false;
    }

    static Boolean addrType(String v, IpAddress a, boolean local) {
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

}
