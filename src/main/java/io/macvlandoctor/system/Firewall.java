package io.macvlandoctor.system;

import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Ruleset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a namespace's netfilter rules with the tools the user has: `iptables-save -c`, `ip6tables-save -c`, and
 * `nft -j list ruleset` with `nft -a list ruleset` (the text the user knows, with the handles). A tool that is not
 * installed, or finds no rules, gives nothing. Netfilter is per namespace, so each runs inside it (nsenter).
 */
public final class Firewall {
    private final ProcessRunner runner;

    public Firewall(ProcessRunner runner) {
        this.runner = runner;
    }

    public List<Ruleset> read(Netns ns, Side side) {
        List<Ruleset> out = new ArrayList<>();
        // iptables is the nft backend on current distributions (its rules show in nft's ruleset too); the legacy
        // backend keeps rules of its own that only iptables-legacy-save shows.
        for (String tool : List.of("iptables", "ip6tables", "iptables-legacy", "ip6tables-legacy")) {
            if (Programs.onPath(tool + "-save")) {
                ProcessRunner.Result r = runner.run(in(ns, tool + "-save", "-c"));
                if (r.ok() && r.stdout().contains("\n-A ") || r.ok() && r.stdout().contains("] -A ")
                        || r.ok() && r.stdout().matches("(?s).*:[A-Z]+ (DROP|REJECT) .*")) {
                    out.add(new Ruleset(side, tool, null, r.stdout()));
                }
            }
        }
        if (Programs.onPath("nft")) {
            ProcessRunner.Result j = runner.run(in(ns, "nft", "-j", "list", "ruleset"));
            if (j.ok() && j.stdout().contains("\"rule\"") || j.ok() && j.stdout().contains("\"policy\": \"drop\"")
                    || j.ok() && j.stdout().contains("\"policy\":\"drop\"")) {
                ProcessRunner.Result t = runner.run(in(ns, "nft", "-a", "list", "ruleset"));
                out.add(new Ruleset(side, "nft", j.stdout(), t.ok() ? t.stdout() : ""));
            }
        }
        return out;
    }

    /** argv running a program in the namespace (netfilter needs no /sys: nsenter, not ip netns exec). */
    static List<String> in(Netns ns, String... argv) {
        List<String> a = new ArrayList<>();
        if (ns.kind() != Netns.Kind.CURRENT) {
            a.add("nsenter");
            a.add("--net=" + ns.file());
        }
        a.addAll(List.of(argv));
        return a;
    }
}
