package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;

/** An address with a prefix length, as `ip` writes it (192.168.136.130/24, fd00:136::130/64). */
public record Cidr(IpAddress address, int prefix) {
    public Cidr {
        if (prefix < 0 || prefix > address.family().bits()) {
            throw new UsageException("invalid prefix length /" + prefix + " for " + address);
        }
    }

    /** The address alone: /32 or /128. */
    public static Cidr host(IpAddress a) {
        return new Cidr(a, a.family().bits());
    }

    /** "address/n"; a bare address is a host prefix. */
    public static Cidr parse(String text) {
        Cidr c = tryParse(text);
        if (c == null) {
            throw new UsageException("invalid prefix '" + text + "' (expected ADDRESS/N, e.g. 192.168.136.240/28 or "
                    + "fd00::/64)");
        }
        return c;
    }

    public static Cidr tryParse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        IpAddress a = IpAddress.tryParse(slash < 0 ? text : text.substring(0, slash));
        if (a == null) {
            return null;
        }
        if (slash < 0) {
            return host(a);
        }
        String p = text.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > a.family().bits()) {
            return null;
        }
        return new Cidr(a, Integer.parseInt(p));
    }

    public Family family() {
        return address.family();
    }

    public boolean isHost() {
        return prefix == address.family().bits();
    }

    public boolean contains(IpAddress ip) {
        return ip != null && ip.family() == address.family() && ip.masked(prefix).equals(address.masked(prefix));
    }

    /** The network itself (host bits cleared). */
    public Cidr network() {
        return new Cidr(address.masked(prefix), prefix);
    }

    /** As `ip route` writes a destination: the bare address for a host prefix. */
    public String destination() {
        return isHost() ? address.toString() : network().toString();
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
