package io.macvlandoctor.model.change;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Netns;
import java.util.ArrayList;
import java.util.List;

/** The argv and command lines of changes, built once from the same words, and their generic run and undo. */
final class Commands {
    private Commands() {
    }

    /** `ip` arguments with -6 in front for IPv6 (iproute2 tells the family from an address, not from "route del"). */
    static List<String> ip(Family f, String... args) {
        List<String> l = new ArrayList<>();
        if (f == Family.V6) {
            l.add("-6");
        }
        l.addAll(List.of(args));
        return l;
    }

    static List<String> plus(List<String> head, String... more) {
        List<String> l = new ArrayList<>(head);
        l.addAll(List.of(more));
        return l;
    }

    /** `ip ARGS` in the namespace, as a user types it. */
    static String ipLine(Netns ns, List<String> args) {
        return ns.ip(String.join(" ", args));
    }

    /** Runs `ip ARGS`; a refusal is an environment error naming the command. */
    static Host.Result ip(Host h, Netns ns, List<String> args) {
        Host.Result r = h.ip(ns, args);
        if (!r.ok()) {
            throw new EnvironmentException(ipLine(ns, args) + " failed: " + r.firstErrorLine());
        }
        return r;
    }

    /** Runs a program in the namespace; a refusal is an environment error naming the command. */
    static Host.Result exec(Host h, Netns ns, List<String> argv) {
        Host.Result r = h.exec(ns, argv);
        if (!r.ok()) {
            throw new EnvironmentException(ns.exec(String.join(" ", argv)) + " failed: " + r.firstErrorLine());
        }
        return r;
    }

    /** Undoes with `ip ARGS`: undone, or already gone when the kernel says there is nothing of that name. */
    static String undoIp(Host h, Netns where, List<String> args, String summary) {
        Host.Result r = h.ip(where, args);
        if (r.ok()) {
            return "undone: " + summary + " (" + ipLine(where, args) + ")";
        }
        if (r.saysGone()) {
            return "already gone: " + summary;
        }
        throw new EnvironmentException("could not undo '" + summary + "': " + ipLine(where, args) + " failed: "
                + r.firstErrorLine());
    }
}
