package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;

/** An IPv4 address with a prefix length, as `ip` writes it (192.168.136.130/24). */
public record Cidr(int address, int prefix) {
    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new UsageException("invalid prefix length /" + prefix);
        }
    }

    /** "a.b.c.d/n"; a bare address means /32. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Cidr(Ipv4.parse(text), 32);
        }
        Integer addr = Ipv4.tryParse(text.substring(0, slash));
        String p = text.substring(slash + 1);
        if (addr == null || !p.matches("[0-9]{1,2}") || Integer.parseInt(p) > 32) {
            throw new UsageException("invalid IPv4 prefix '" + text + "' (expected a.b.c.d/n with n from 0 to 32)");
        }
        return new Cidr(addr, Integer.parseInt(p));
    }

    public boolean contains(int ip) {
        int m = Ipv4.mask(prefix);
        return (ip & m) == (address & m);
    }

    public String ip() {
        return Ipv4.format(address);
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + "/" + prefix;
    }
}
