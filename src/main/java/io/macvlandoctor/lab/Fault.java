package io.macvlandoctor.lab;

import io.macvlandoctor.UsageException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** One named way to break the fixed topology, each reproducing a row of DESIGN §2. */
public record Fault(Kind kind, String shimMode) {
    public enum Kind {
        SHIM_DOWN("shim-down", "the shim is down"),
        SHIM_MODE("shim-mode", "the shim is not in bridge mode (private, or shim-mode=vepa)"),
        NO_ROUTE("no-route", "no route to the container through the shim"),
        ROUTE_MISMATCH("route-mismatch", "the route through the shim names a mistyped address (.140 for .240)"),
        ARP_IGNORE("arp-ignore", "net.ipv4.conf.all.arp_ignore=1 on the host"),
        ARP_FILTER("arp-filter", "net.ipv4.conf.all.arp_filter=1 on the host"),
        RP_FILTER("rp-filter", "net.ipv4.conf.all.rp_filter=1 on the host"),
        PARENT_DOWN("parent-down", "the parent interface is down");

        private final String id;
        private final String description;

        Kind(String id, String description) {
            this.id = id;
            this.description = description;
        }

        public String id() {
            return id;
        }

        public String description() {
            return description;
        }
    }

    /** "shim-down", "shim-mode", "shim-mode=vepa", ... */
    public static Fault parse(String text) {
        String id = text;
        String arg = null;
        int eq = text.indexOf('=');
        if (eq >= 0) {
            id = text.substring(0, eq);
            arg = text.substring(eq + 1);
        }
        for (Kind k : Kind.values()) {
            if (k.id.equals(id)) {
                if (k == Kind.SHIM_MODE) {
                    String mode = arg == null ? "private" : arg;
                    if (!mode.equals("private") && !mode.equals("vepa")) {
                        throw new UsageException("unknown shim mode '" + mode + "' (private or vepa)");
                    }
                    return new Fault(k, mode);
                }
                if (arg != null) {
                    throw new UsageException("fault " + id + " takes no value");
                }
                return new Fault(k, null);
            }
        }
        throw new UsageException("unknown fault '" + text + "'; known: " + ids());
    }

    public static String ids() {
        return Arrays.stream(Kind.values()).map(Kind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return shimMode != null && !shimMode.equals("private") ? kind.id + "=" + shimMode : kind.id;
    }
}
