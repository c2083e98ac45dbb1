package io.macvlandoctor.model;

/**
 * One policy routing rule (`ip -j rule show`, either family): the kernel walks them by priority and looks up the
 * table of the first that matches (VPN clients such as Tailscale and WireGuard's wg-quick add their own).
 *
 * @param from the source selector ("all", or a prefix)
 * @param to the destination selector, null for any
 * @param iif the input interface selector, null for any
 * @param oif the output interface selector, null for any
 * @param fwmark "0x80000/0xff0000" when the rule matches a firewall mark, else null
 * @param table the table it looks up ("main", "local", "77"), null for other actions
 * @param action "lookup" for a table lookup, else the action ("unreachable", "prohibit", "blackhole", "goto")
 * @param invert the rule matches what its selectors do not ("not")
 * @param other selectors this model does not judge (uidrange, ipproto, ports, l3mdev, tos), null when none
 */
public record PolicyRule(Family family, int priority, String from, Cidr to, String iif, String oif, String fwmark,
                         String table, String action, boolean invert, String other) {
    /** Whether the rule applies to a packet the host sends from src to dst (no mark, no interface bound). */
    public boolean matchesLocalOutput(IpAddress src, IpAddress dst) {
        boolean sel = (from == null || from.equals("all") || src != null && Cidr.tryParse(from) != null
                && Cidr.tryParse(from).contains(src))
                && (to == null || to.contains(dst))
                && (iif == null || iif.equals("lo")) && oif == null && fwmark == null && other == null;
        return invert != sel;
    }

    public boolean isLookup() {
        return "lookup".equals(action);
    }

    public boolean looksUpMain() {
        return isLookup() && ("main".equals(table) || "254".equals(table));
    }

    /** As `ip rule` prints it. */
    public String describe() {
        StringBuilder b = new StringBuilder().append(priority).append(": ");
        if (invert) {
            b.append("not ");
        }
        b.append("from ").append(from == null ? "all" : from);
        if (to != null) {
            b.append(" to ").append(to.destination());
        }
        if (fwmark != null) {
            b.append(" fwmark ").append(fwmark);
        }
        if (iif != null) {
            b.append(" iif ").append(iif);
        }
        if (oif != null) {
            b.append(" oif ").append(oif);
        }
        if (other != null) {
            b.append(' ').append(other);
        }
        b.append(isLookup() ? " lookup " + table : " " + action);
        return b.toString();
    }
}
