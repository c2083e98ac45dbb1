package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Sysctl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sysctls of one namespace, by full name ("net.ipv4.conf.all.arp_ignore"). /proc/sys/net shows the namespace of the
 * thread that opens the file, so the files are read on a thread inside the namespace: no process to start.
 */
public final class Sysctls {
    private final Netns ns;

    public Sysctls(Netns ns) {
        this.ns = ns;
    }

    /** The values of the names that exist (an interface that has gone, or has no such setting, is left out). */
    public Map<String, Integer> read(Collection<String> names) {
        return Namespaces.call(ns, () -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (String name : names) {
                try {
                    out.put(name, Integer.parseInt(readWhole(Path.of(Sysctl.path(name))).strip()));
                } catch (NoSuchFileException | NumberFormatException e) {
                    // Not there (or not a single number): nothing to report for it.
                }
            }
            return out;
        });
    }

    /**
     * A sysctl file in one read. Its handlers answer a read from offset 0 only: a reader that takes one byte first
     * and then the rest (as Files.readString does for a file of size 0) gets "5" for 54.
     */
    static String readWhole(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = new byte[256];
            int n = in.read(b);
            return n <= 0 ? "" : new String(b, 0, n, StandardCharsets.US_ASCII);
        }
    }

    public int read(String name) {
        Integer v = read(java.util.List.of(name)).get(name);
        if (v == null) {
            throw new EnvironmentException(name + " not found in " + ns.label());
        }
        return v;
    }

    public void write(String name, int value) {
        write(Map.of(name, value));
    }

    /** Sets several values from one thread inside the namespace. */
    public void write(Map<String, Integer> values) {
        Namespaces.call(ns, () -> {
            for (Map.Entry<String, Integer> e : values.entrySet()) {
                try {
                    Files.writeString(Path.of(Sysctl.path(e.getKey())), Integer.toString(e.getValue()));
                } catch (NoSuchFileException ex) {
                    throw new EnvironmentException("cannot set " + e.getKey() + " in " + ns.label()
                            + ": no such setting (is the interface there?)", ex);
                } catch (IOException ex) {
                    throw new EnvironmentException("cannot set " + e.getKey() + " in " + ns.label() + ": "
                            + ex.getMessage(), ex);
                }
            }
            return null;
        });
    }
}
