package io.macvlandoctor.analysis;

import static io.macvlandoctor.analysis.FirewallEval.addrType;
import static io.macvlandoctor.analysis.FirewallEval.addresses;
import static io.macvlandoctor.analysis.FirewallEval.icmpType;
import static io.macvlandoctor.analysis.FirewallEval.iface;
import static io.macvlandoctor.analysis.FirewallEval.protocol;
import static io.macvlandoctor.analysis.FirewallEval.states;
import static io.macvlandoctor.analysis.FirewallEval.tokens;

import io.macvlandoctor.analysis.FirewallEval.Outcome;
import io.macvlandoctor.analysis.FirewallEval.Packet;
import io.macvlandoctor.analysis.FirewallEval.Verdict;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.FirewallRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `iptables-save` (and ip6tables-save) rules, parsed and walked as the kernel walks the filter table. Pure. */
final class IptablesEval {
    private IptablesEval() {
    }

    record Rule(String chain, List<String> tokens, String line, int position) {
    }

    record Table(String name, Map<String, String> policies, Map<String, List<Rule>> chains) {
    }

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

    static Outcome walk(Table t, String chain, Packet p, String tool, Side side, int depth) {
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
