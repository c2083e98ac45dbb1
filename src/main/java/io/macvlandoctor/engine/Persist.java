package io.macvlandoctor.engine;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.PersistFormats;
import io.macvlandoctor.analysis.PersistFormats.Format;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.DirCreate;
import io.macvlandoctor.model.change.FileWrite;
import io.macvlandoctor.model.change.SymlinkCreate;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.ConfigFiles;
import io.macvlandoctor.system.Programs;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * setup --persist: the boot-time configuration for the host's network manager (detected unless named), written
 * under a root directory through the journal, so that teardown removes it and puts back a file it replaced.
 */
public final class Persist {
    private Persist() {
    }

    /**
     * @param why how the format was chosen (detected: what was found)
     * @param changes the journaled changes that write the files (directories first)
     * @param there files that are in place already
     */
    public record Plan(Format format, String why, List<PersistFormats.File> files, List<Change> changes,
                       List<String> there) {
    }

    public static Plan plan(Target t, List<Cidr> routes, Cidr shimIp, String format, Path root) {
        if (!Files.isDirectory(root)) {
            throw new UsageException("--persist-root " + root + ": not a directory");
        }
        String parent = t.parent().name();
        Format f;
        String why;
        if (format == null || format.equals("auto")) {
            String[] d = detect(root, parent);
            f = Format.parse(d[0]);
            why = "detected: " + d[1];
        } else {
            f = Format.parse(format);
            why = "as asked";
        }
        String networkFile = f == Format.NETWORKD ? parentNetworkFile(root, parent) : null;
        if (f == Format.NETWORKD && networkFile == null) {
            throw new EnvironmentException("no systemd-networkd .network file under " + root + " matches " + parent
                    + ": networkd does not configure it, so it cannot add the shim to it; choose --persist unit");
        }
        Cidr host6 = t.parent().firstAddress(Family.V6);
        PersistFormats.Input in = new PersistFormats.Input(t.shimName(), parent, routes,
                host6 == null ? null : host6.address(), shimIp, networkFile, program("ip"), program("sysctl"));
        List<PersistFormats.File> files = PersistFormats.files(f, in);
        List<Change> changes = new ArrayList<>();
        List<String> there = new ArrayList<>();
        List<Path> planned = new ArrayList<>();
        for (PersistFormats.File file : files) {
            Path p = root.resolve(file.path());
            for (Path dir : missingDirs(p.getParent(), root)) {
                if (!planned.contains(dir)) {
                    planned.add(dir);
                    changes.add(new DirCreate(dir.toString()));
                }
            }
            if (file.linkTarget() != null) {
                if (Files.isSymbolicLink(p)) {
                    String now = ConfigFiles.readLink(p);
                    if (file.linkTarget().equals(now)) {
                        there.add(p + " -> " + now);
                        continue;
                    }
                }
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new EnvironmentException(p + " exists and is not the link setup would make: remove it, "
                            + "or choose another shim name");
                }
                changes.add(new SymlinkCreate(p.toString(), file.linkTarget()));
                continue;
            }
            String previous = ConfigFiles.readOrNull(p);
            if (file.text().equals(previous)) {
                there.add(p.toString());
                continue;
            }
            changes.add(new FileWrite(p.toString(), file.text(), file.mode(), previous,
                    previous == null ? 0 : ConfigFiles.mode(p)));
        }
        return new Plan(f, why, files, changes, there);
    }

    /**
     * Which manager configures the parent: NetworkManager, systemd-networkd, ifupdown, or none of them (a unit).
     * Under the real root a running manager counts; under another root (an image) only its files.
     *
     * @return the format and what was found
     */
    static String[] detect(Path root, String parent) {
        boolean live = root.toAbsolutePath().normalize().equals(Path.of("/"));
        if (live && Files.isDirectory(Path.of("/run/NetworkManager"))) {
            return new String[] {"nm", "NetworkManager is running"};
        }
        if (!live && nmConnectionFor(root, parent)) {
            return new String[] {"nm", "a NetworkManager connection for " + parent};
        }
        String network = parentNetworkFile(root, parent);
        if (network != null && (!live || Files.isDirectory(Path.of("/run/systemd/netif")))) {
            return new String[] {"networkd", "systemd-networkd configures " + parent + " (" + network + ")"};
        }
        if (ifupdownMentions(root, parent)) {
            return new String[] {"ifupdown", "/etc/network/interfaces configures " + parent};
        }
        return new String[] {"unit", "none of NetworkManager, systemd-networkd and ifupdown configures " + parent};
    }

    /**
     * The name of the .network file networkd applies to the parent: of all .network files (a name in /etc hides
     * the same name in /run and /usr/lib), in the order of their names, the first whose [Match] Name= matches.
     */
    static String parentNetworkFile(Path root, String parent) {
        Map<String, Path> byName = new TreeMap<>();
        for (String dir : new String[] {"usr/lib/systemd/network", "lib/systemd/network", "run/systemd/network",
            "etc/systemd/network"}) {
            for (Path p : list(root.resolve(dir))) {
                if (p.getFileName().toString().endsWith(".network")) {
                    byName.put(p.getFileName().toString(), p);
                }
            }
        }
        for (Map.Entry<String, Path> e : byName.entrySet()) {
            String text = ConfigFiles.readOrNull(e.getValue());
            if (text != null && matchesName(text, parent)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** [Match] Name= with shell globs, space-separated, several lines adding up. */
    static boolean matchesName(String networkFile, String iface) {
        boolean inMatch = false;
        for (String raw : networkFile.split("\n")) {
            String l = raw.strip();
            if (l.startsWith("[")) {
                inMatch = l.equals("[Match]");
            } else if (inMatch && l.startsWith("Name=")) {
                for (String glob : l.substring(5).strip().split("\\s+")) {
                    if (!glob.isEmpty() && FileSystems.getDefault().getPathMatcher("glob:" + glob)
                            .matches(Path.of(iface))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean nmConnectionFor(Path root, String parent) {
        for (Path p : list(root.resolve("etc/NetworkManager/system-connections"))) {
            String text = ConfigFiles.readOrNull(p);
            if (text != null && text.lines().anyMatch(l -> l.strip().equals("interface-name=" + parent))) {
                return true;
            }
        }
        return false;
    }

    private static boolean ifupdownMentions(Path root, String parent) {
        List<Path> files = new ArrayList<>(List.of(root.resolve("etc/network/interfaces")));
        files.addAll(list(root.resolve("etc/network/interfaces.d")));
        for (Path p : files) {
            String text = ConfigFiles.readOrNull(p);
            if (text != null && text.lines().map(String::strip).anyMatch(l -> l.matches("(iface|auto|allow-\\S+)\\s+"
                    + java.util.regex.Pattern.quote(parent) + "(\\s.*)?"))) {
                return true;
            }
        }
        return false;
    }

    /** The directories to create for path, outermost first, stopping at one that exists (never above root). */
    private static List<Path> missingDirs(Path dir, Path root) {
        List<Path> l = new ArrayList<>();
        for (Path d = dir; d != null && d.startsWith(root) && !Files.isDirectory(d); d = d.getParent()) {
            l.add(0, d);
        }
        return l;
    }

    private static String program(String name) {
        Path p = Programs.find(name);
        return p == null ? "/usr/sbin/" + name : p.toString();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
