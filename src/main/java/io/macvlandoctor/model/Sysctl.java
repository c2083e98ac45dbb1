package io.macvlandoctor.model;

/** Sysctl names, and the command lines that set them as a user types them. */
public final class Sysctl {
    private Sysctl() {
    }

    /** net.ipv4.conf.DEV.NAME */
    public static String conf4(String dev, String name) {
        return "net.ipv4.conf." + dev + "." + name;
    }

    /** net.ipv6.conf.DEV.NAME */
    public static String conf6(String dev, String name) {
        return "net.ipv6.conf." + dev + "." + name;
    }

    /** net.ipv6.neigh.DEV.NAME */
    public static String neigh6(String dev, String name) {
        return "net.ipv6.neigh." + dev + "." + name;
    }

    /**
     * The argument of `sysctl -w` for a name: a device name with a dot ("mv.host") cannot go in the dotted form,
     * so such names are written with slashes (net/ipv4/conf/mv.host/arp_filter), which sysctl(8) also accepts.
     */
    public static String key(String name) {
        String[] parts = name.split("\\.");
        if (parts.length <= 5 || !name.startsWith("net.ipv")) {
            return name;
        }
        // net.ipv4.conf.<dev with dots>.<leaf>
        String dev = name.substring((parts[0] + "." + parts[1] + "." + parts[2] + ".").length(),
                name.length() - parts[parts.length - 1].length() - 1);
        return parts[0] + "/" + parts[1] + "/" + parts[2] + "/" + dev + "/" + parts[parts.length - 1];
    }

    /** The file under /proc/sys for a name (a device with dots included). */
    public static String path(String name) {
        String k = key(name);
        return "/proc/sys/" + (k.contains("/") ? k : k.replace('.', '/'));
    }
}
