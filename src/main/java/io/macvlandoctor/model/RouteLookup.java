package io.macvlandoctor.model;

/**
 * The kernel's own choice for a destination (`ip -j route get`): the device, the source address, and the table the
 * route was found in (policy rules may send a lookup to another table than main).
 *
 * @param table the table's name or number ("main", "77"); null when not known (main)
 */
public record RouteLookup(String dst, String dev, String prefsrc, String gateway, String table) {
    public RouteLookup(String dst, String dev, String prefsrc, String gateway) {
        this(dst, dev, prefsrc, gateway, null);
    }

    /** Found in the main table (or not known to be elsewhere). */
    public boolean fromMain() {
        return table == null || table.equals("main") || table.equals("254");
    }

    /** The name of a table number as iproute2 prints it. */
    public static String tableName(int table) {
        return switch (table) {
            case 254 -> "main";
            case 255 -> "local";
            case 253 -> "default";
            default -> Integer.toString(table);
        };
    }

    /** "ip route get X -> dev D src S (table 77)" */
    public static String describe(RouteLookup r, IpAddress dst) {
        return "ip route get " + dst + " -> " + (r == null ? "unreachable"
                : "dev " + r.dev() + (r.gateway() == null ? "" : " via " + r.gateway())
                        + (r.prefsrc() == null ? "" : " src " + r.prefsrc())
                        + (r.fromMain() ? "" : " (table " + r.table() + ")"));
    }
}
