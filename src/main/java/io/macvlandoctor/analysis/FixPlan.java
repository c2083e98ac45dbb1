package io.macvlandoctor.analysis;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Change;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the fix commands a diagnosis printed into journaled changes, each with the change that undoes it, so that
 * `diagnose --apply` makes exactly what was printed and `teardown` puts the broken state back. Knows the commands
 * the diagnosis writes (ip link/route/neigh, sysctl -w, iptables -I/-A, nft insert/add rule) in the host's and the
 * container's namespace, and refuses anything else. Pure: the undo values come from the kernel facts of the
 * diagnosis.
 */
public final class FixPlan {
    private FixPlan() {
    }

    public static List<Change> changes(List<String> fix, KernelFacts k) {
        List<Change> out = new ArrayList<>();
        for (String cmd : fix) {
            out.addAll(change(cmd, k));
        }
        return out;
    }

    private static List<Change> change(String cmd, KernelFacts k) {
        List<String> w = new ArrayList<>(List.of(cmd.strip().split("\\s+")));
        Netns ns = namespace(w, cmd, k);
        if (w.isEmpty()) {
            throw refuse(cmd, "nothing to run");
        }
        String prog = w.get(0);
        return switch (prog) {
            case "ip" -> ip(ns, w.subList(1, w.size()), cmd, k);
            case "sysctl" -> List.of(sysctl(ns, w, cmd, k));
            case "iptables", "ip6tables" -> List.of(iptables(ns, w, cmd));
            case "nft" -> List.of(nft(ns, w, cmd));
            default -> throw refuse(cmd, "not a command macvlan-doctor knows how to undo");
        };
    }

    /** Strips "ip netns exec NS", "nsenter --net=PATH" or "ip -n NS" and says which namespace that is. */
    private static Netns namespace(List<String> w, String cmd, KernelFacts k) {
        Netns ns = Netns.CURRENT;
        if (w.size() > 3 && w.get(0).equals("ip") && w.get(1).equals("netns") && w.get(2).equals("exec")) {
            ns = Netns.named(w.get(3));
            w.subList(0, 4).clear();
        } else if (w.size() > 1 && w.get(0).equals("nsenter") && w.get(1).startsWith("--net=")) {
            ns = Netns.path(w.get(1).substring("--net=".length()));
            w.subList(0, 2).clear();
        } else if (w.size() > 2 && w.get(0).equals("ip") && w.get(1).equals("-n")) {
            ns = Netns.named(w.get(2));
            w.subList(1, 3).clear();
        }
        if (!ns.equals(k.hostNs()) && !ns.equals(k.containerNs())) {
            throw refuse(cmd, "it would change " + ns.label() + ", which is neither the target's host nor its "
                    + "container namespace");
        }
        return ns;
    }

    private static List<Change> ip(Netns ns, List<String> a, String cmd, KernelFacts k) {
        List<String> args = new ArrayList<>(a);
        List<String> fam = new ArrayList<>();
        if (!args.isEmpty() && (args.get(0).equals("-6") || args.get(0).equals("-4"))) {
            fam.add(args.remove(0));
        }
        String obj = args.isEmpty() ? "" : args.get(0);
        String verb = args.size() > 1 ? args.get(1) : "";
        if (obj.equals("link") && verb.equals("add") && args.contains("name")) {
            String name = args.get(args.indexOf("name") + 1);
            return List.of(Change.link(ns, "create " + name, args, List.of("link", "del", name), name));
        }
        if (obj.equals("link") && verb.equals("set") && args.size() == 4
                && (args.get(3).equals("up") || args.get(3).equals("down"))) {
            String opposite = args.get(3).equals("up") ? "down" : "up";
            return List.of(Change.of(ns, "bring " + args.get(2) + " " + args.get(3), args,
                    List.of("link", "set", args.get(2), opposite)));
        }
        if (obj.equals("link") && verb.equals("del") && args.size() == 3) {
            return linkDel(ns, args.get(2), cmd, k);
        }
        if (obj.equals("route") && (verb.equals("add") || verb.equals("replace") || verb.equals("del"))) {
            return List.of(route(ns, fam, args, verb, cmd, k));
        }
        if (obj.equals("neigh") && verb.equals("add") && args.size() > 2 && args.get(2).equals("proxy")) {
            List<String> undo = new ArrayList<>(fam);
            undo.addAll(args);
            undo.set(fam.size() + 1, "del");
            List<String> apply = new ArrayList<>(fam);
            apply.addAll(args);
            return List.of(Change.of(ns, "proxy entry " + args.get(3), apply, undo));
        }
        throw refuse(cmd, "not an ip command macvlan-doctor knows how to undo");
    }

    /**
     * Deleting a link (to create it again in bridge mode) drops every route through it: its undo creates it again
     * as it was (mode, state) and puts its routes back. The route entry is journaled first, so it is undone last.
     */
    private static List<Change> linkDel(Netns ns, String name, String cmd, KernelFacts k) {
        Link l = k.hostLink(name);
        Link lower = l == null ? null : k.hostLink(l.parentIndex());
        if (l == null || !l.isMacvlan() || lower == null) {
            throw refuse(cmd, name + " is not a macvlan of this host: its deletion cannot be undone");
        }
        List<Change> out = new ArrayList<>();
        for (Route r : k.hostRoutes()) {
            if (name.equals(r.dev()) && r.dst() != null && !"kernel".equals(r.protocol()) && r.gateway() == null) {
                List<String> add = new ArrayList<>();
                if (r.family() == Family.V6) {
                    add.add("-6");
                }
                add.addAll(List.of("route", "add", r.dst().destination(), "dev", name));
                // Nothing to do now (the deletion drops it); undone, it puts the route back after the link.
                out.add(Change.of(ns, "remember the route " + r.describe(), List.of("link", "show", name), add));
            }
        }
        List<String> create = new ArrayList<>(List.of("link", "add", "link", lower.name(), "name", name, "type",
                "macvlan", "mode", l.macvlanMode()));
        if (l.adminUp()) {
            out.add(Change.of(ns, "remember that " + name + " was up", List.of("link", "show", name),
                    List.of("link", "set", name, "up")));
        }
        out.add(Change.of(ns, "delete " + name + " (macvlan " + l.macvlanMode() + ")", List.of("link", "del", name),
                create));
        return out;
    }

    private static Change route(Netns ns, List<String> fam, List<String> args, String verb, String cmd,
                                KernelFacts k) {
        if (args.size() < 5 || !args.contains("dev")) {
            throw refuse(cmd, "a route without a device");
        }
        String dst = args.get(2);
        Cidr to = Cidr.tryParse(dst);
        if (to == null) {
            throw refuse(cmd, "'" + dst + "' is not an address or prefix");
        }
        List<String> apply = new ArrayList<>(fam);
        apply.addAll(args);
        List<String> rest = args.subList(3, args.size());
        if (verb.equals("del")) {
            List<String> undo = new ArrayList<>(fam);
            undo.addAll(List.of("route", "add", dst));
            undo.addAll(rest);
            return Change.of(ns, "delete the route " + dst + " " + String.join(" ", rest), apply, undo);
        }
        Route old = verb.equals("replace") ? k.hostRoutes().stream().filter(r -> r.dst() != null
                && r.dst().network().equals(to.network())).findFirst().orElse(null) : null;
        List<String> undo = new ArrayList<>(fam);
        if (old != null) {
            undo.addAll(List.of("route", "replace", dst));
            if (old.gateway() != null) {
                undo.addAll(List.of("via", old.gateway()));
            }
            undo.addAll(List.of("dev", old.dev()));
        } else {
            undo.addAll(List.of("route", "del", dst));
            undo.addAll(rest);
        }
        return Change.of(ns, "route " + dst + " " + String.join(" ", rest), apply, undo);
    }

    private static Change sysctl(Netns ns, List<String> w, String cmd, KernelFacts k) {
        if (w.size() != 3 || !w.get(1).equals("-w") || !w.get(2).contains("=")) {
            throw refuse(cmd, "expected sysctl -w NAME=VALUE");
        }
        String key = w.get(2).substring(0, w.get(2).indexOf('='));
        String value = w.get(2).substring(key.length() + 1);
        if (!value.matches("-?[0-9]{1,9}")) {
            throw refuse(cmd, "not a number: " + value);
        }
        String name = key.contains("/") ? dotted(key) : key;
        boolean container = ns.equals(k.containerNs()) && !ns.equals(k.hostNs());
        Integer previous = (container ? k.containerSysctls() : k.sysctls()).get(name);
        if (previous == null) {
            throw refuse(cmd, name + " was not read with the facts, so its value cannot be put back");
        }
        return Change.sysctl(ns, name, Integer.parseInt(value), previous);
    }

    /** net/ipv4/conf/mv.host/arp_filter -> net.ipv4.conf.mv.host.arp_filter (the facts' key). */
    private static String dotted(String slashed) {
        return slashed.replace('/', '.');
    }

    private static Change iptables(Netns ns, List<String> w, String cmd) {
        int insert = w.indexOf("-I");
        int append = w.indexOf("-A");
        if (insert < 0 && append < 0 || !w.contains("-j")) {
            throw refuse(cmd, "only inserted or appended rules can be undone");
        }
        List<String> undo = new ArrayList<>(w);
        int at = insert >= 0 ? insert : append;
        undo.set(at, "-D");
        if (insert >= 0 && at + 2 < undo.size() && undo.get(at + 2).matches("[0-9]+")) {
            undo.remove(at + 2);
        }
        return Change.exec(ns, "firewall rule: " + String.join(" ", w.subList(1, w.size())), w, undo);
    }

    private static Change nft(Netns ns, List<String> w, String cmd) {
        if (w.size() < 6 || !w.get(2).equals("rule") || !(w.get(1).equals("insert") || w.get(1).equals("add"))) {
            throw refuse(cmd, "only inserted or added nft rules can be undone");
        }
        List<String> apply = new ArrayList<>(List.of("nft", "--echo", "--handle"));
        apply.addAll(w.subList(1, w.size()));
        List<String> undo = List.of("nft", "delete", "rule", w.get(3), w.get(4), w.get(5), "handle", Change.HANDLE);
        return Change.exec(ns, "firewall rule: " + String.join(" ", w.subList(1, w.size())), apply, undo);
    }

    private static UsageException refuse(String cmd, String why) {
        return new UsageException("cannot apply '" + cmd + "': " + why);
    }
}
