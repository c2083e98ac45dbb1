package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;
import java.nio.file.Path;
import java.util.List;

/** A network namespace as the user named it: the one we run in, a name under /run/netns, or a path. */
public record Netns(Kind kind, String ref) {
    public enum Kind { CURRENT, NAMED, PATH }

    public static final Netns CURRENT = new Netns(Kind.CURRENT, "");

    public static Netns named(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new UsageException("invalid namespace name '" + name
                    + "': letters, digits, '.', '_' and '-' only (or give a path such as /proc/PID/ns/net)");
        }
        return new Netns(Kind.NAMED, name);
    }

    public static Netns path(String path) {
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) {
            throw new UsageException("invalid namespace path '" + path + "'");
        }
        return new Netns(Kind.PATH, path);
    }

    /** A value with a '/' is a path, anything else a name under /run/netns. */
    public static Netns parse(String value) {
        return value != null && value.contains("/") ? path(value) : named(value);
    }

    /** The file that stands for the namespace, for setns(2) and nsenter. */
    public Path file() {
        return switch (kind) {
            case CURRENT -> Path.of("/proc/self/ns/net");
            case NAMED -> Path.of("/run/netns", ref);
            case PATH -> Path.of(ref);
        };
    }

    /** The argv prefix that runs iproute2 in this namespace. `ip netns exec` is avoided: it remounts /sys. */
    public List<String> ipCommand() {
        return switch (kind) {
            case CURRENT -> List.of("ip");
            case NAMED -> List.of("ip", "-n", ref);
            case PATH -> List.of("nsenter", "--net=" + ref, "ip");
        };
    }

    /** The command line that runs `ip ARGS` in this namespace, as a user would type it. */
    public String ip(String args) {
        return String.join(" ", ipCommand()) + " " + args;
    }

    /** The command line that sets a sysctl (full name, "net.ipv4.conf.all.arp_ignore") in this namespace. */
    public String sysctl(String name, int value) {
        return exec("sysctl -w " + Sysctl.key(name) + "=" + value);
    }

    /** The command line that runs a program in this namespace, as a user types it. */
    public String exec(String command) {
        return switch (kind) {
            case CURRENT -> command;
            case NAMED -> "ip netns exec " + ref + " " + command;
            case PATH -> "nsenter --net=" + ref + " " + command;
        };
    }

    /** The argv prefix that runs a program (not ip) in this namespace: none, or nsenter (which keeps /sys). */
    public List<String> execPrefix() {
        return kind == Kind.CURRENT ? List.of() : List.of("nsenter", "--net=" + file());
    }

    public String label() {
        return switch (kind) {
            case CURRENT -> "the current namespace";
            case NAMED -> "namespace " + ref;
            case PATH -> "namespace " + ref;
        };
    }
}
