package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 sysctls of one namespace. /proc/sys/net shows the namespace of the thread that opens the file, so the
 * files are read on a thread inside the namespace: no process to start.
 */
public final class Sysctls {
    private final Netns ns;

    public Sysctls(Netns ns) {
        this.ns = ns;
    }

    /** Reads net.ipv4.conf.{dev}.{name} for each (dev, name); missing entries are left out. */
    public Map<String, Integer> readConf(List<String> devs, List<String> names) {
        return Namespaces.call(ns, () -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (String dev : devs) {
                for (String name : names) {
                    Path p = confPath(dev, name);
                    try {
                        out.put(dev + "." + name, Integer.parseInt(Files.readString(p).strip()));
                    } catch (NoSuchFileException e) {
                        // The interface has gone or has no IPv4 config: nothing to report for it.
                    }
                }
            }
            return out;
        });
    }

    public int readConf(String dev, String name) {
        Integer v = readConf(List.of(dev), List.of(name)).get(dev + "." + name);
        if (v == null) {
            throw new EnvironmentException("net.ipv4.conf." + dev + "." + name + " not found in " + ns.label());
        }
        return v;
    }

    public void writeConf(String dev, String name, int value) {
        writeConf(Map.of(dev + "." + name, value));
    }

    /** Sets several values ("all.rp_filter" -> 0, ...) from one thread inside the namespace. */
    public void writeConf(Map<String, Integer> values) {
        Namespaces.call(ns, () -> {
            for (Map.Entry<String, Integer> e : values.entrySet()) {
                int dot = e.getKey().indexOf('.');
                String dev = e.getKey().substring(0, dot);
                String name = e.getKey().substring(dot + 1);
                try {
                    Files.writeString(confPath(dev, name), Integer.toString(e.getValue()));
                } catch (IOException ex) {
                    throw new EnvironmentException("cannot set net.ipv4.conf." + e.getKey() + " in " + ns.label()
                            + ": " + ex.getMessage(), ex);
                }
            }
            return null;
        });
    }

    private static Path confPath(String dev, String name) {
        return Path.of("/proc/sys/net/ipv4/conf", dev, name);
    }
}
