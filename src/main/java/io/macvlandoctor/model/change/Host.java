package io.macvlandoctor.model.change;

import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Route;
import java.util.List;

/**
 * What a change may do to a host and read back from it: the primitives the system package implements (iproute2
 * with argv, programs in a namespace, sysctls, files, mounts). A change is written against this interface, so that
 * the change itself stays a value and its effects can be tested with a fake host.
 */
public interface Host {
    /** A program's result: whether it succeeded, and what it printed. */
    record Result(boolean ok, String stdout, String stderr) {
        /** The first line of stderr, or of stdout when stderr is empty. */
        public String firstErrorLine() {
            String s = stderr == null || stderr.isBlank() ? stdout == null ? "" : stdout : stderr;
            return s.strip().lines().findFirst().orElse("");
        }

        /** The kernel's words for "there is nothing of that name": what an undo of something gone meets. */
        public boolean saysGone() {
            String e = stderr == null ? "" : stderr;
            return e.contains("No such process") || e.contains("Cannot find device") || e.contains("does not exist")
                    || e.contains("Cannot assign requested address") || e.contains("No such device")
                    || e.contains("No such file");
        }
    }

    /** Runs `ip ARGS` in the namespace. */
    Result ip(Netns ns, List<String> args);

    /** Runs a program (iptables, nft) in the namespace. */
    Result exec(Netns ns, List<String> argv);

    /** Writes a sysctl (full dotted name) in the namespace; throws when it does not exist. */
    void writeSysctl(Netns ns, String name, int value);

    /** A sysctl's value in the namespace, null when it does not exist. */
    Integer readSysctl(Netns ns, String name);

    List<Link> links(Netns ns);

    /** The main table of both families. */
    List<Route> routes(Netns ns);

    /** The neighbour entries of an address, every state. */
    List<Neighbour> neighbours(Netns ns, IpAddress ip);

    /** The IPv6 proxy entries. */
    List<Neighbour> proxies(Netns ns);

    /** The policy rules of both families. */
    List<PolicyRule> rules(Netns ns);

    /** Forgets the neighbour entries of the addresses (`ip neigh flush to X`). */
    void flushNeighbours(Netns ns, List<IpAddress> ips);

    /** A file's text, null when there is none. */
    String readFile(String path);

    /** Writes a file whole (a temporary file renamed into place), with its permissions. */
    void writeFile(String path, String text, int mode);

    int mode(String path);

    boolean delete(String path);

    void mkdir(String path);

    /** Removes a directory if it is empty; false when it is not (or is gone). */
    boolean rmdirIfEmpty(String path);

    void symlink(String path, String target);

    /** Where a symbolic link points, null when it is not one. */
    String readLink(String path);

    boolean exists(String path);

    /** Mounts a tracefs on the directory. */
    void mountTracefs(String dir);

    /** Unmounts what is mounted on the directory; false when nothing is. */
    boolean unmount(String dir);

    /** Whether a tracefs is mounted exactly there. */
    boolean tracefsMountedAt(String dir);

    /** Whether the link holds promiscuous mode by an administrator's `promisc on` (not a capture's count). */
    default boolean promisc(Netns ns, String name) {
        return false;
    }

    /** The link of this name in the namespace, or null. */
    default Link link(Netns ns, String name) {
        return links(ns).stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }
}
