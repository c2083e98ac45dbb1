package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;
import java.util.Locale;

/**
 * An IPv4 or IPv6 address as a value: the 128 bits in two longs (an IPv4 address in the low 32 bits), compared and
 * hashed by value, written in its canonical form (dotted quad; RFC 5952 for IPv6).
 */
public record IpAddress(long hi, long lo, Family family) implements Comparable<IpAddress> {
    public IpAddress {
        if (family == Family.V4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("an IPv4 address has 32 bits");
        }
    }

    // equals and hashCode written out: a record's own are bootstrapped through method handles at their first call
    // (invokedynamic, which the start-up archive leaves unresolved), milliseconds at the start of every run.
    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.hi == hi && a.lo == lo && a.family == family;
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(hi) * 31 + Long.hashCode(lo)) * 31 + family.ordinal();
    }

    public static IpAddress v4(int bits) {
        return new IpAddress(0, bits & 0xffff_ffffL, Family.V4);
    }

    public static IpAddress v6(long hi, long lo) {
        return new IpAddress(hi, lo, Family.V6);
    }

    /** The 16 (IPv6) or 4 (IPv4) bytes at off in network order. */
    public static IpAddress of(byte[] b, int off, Family f) {
        if (f == Family.V4) {
            return v4(((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
                    | (b[off + 3] & 0xff));
        }
        return v6(longAt(b, off), longAt(b, off + 8));
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** Either family; a clear one-line error (exit 2) for anything else. */
    public static IpAddress parse(String text) {
        IpAddress a = tryParse(text);
        if (a == null) {
            throw new UsageException("invalid IP address '" + text + "'");
        }
        return a;
    }

    /** An address of the given family, or a one-line error naming what was expected. */
    public static IpAddress parse(String text, Family f) {
        IpAddress a = tryParse(text);
        if (a == null || a.family != f) {
            throw new UsageException("invalid " + f.label() + " address '" + text + "'");
        }
        return a;
    }

    public static IpAddress tryParse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    /** Strict dotted quad: four decimal octets 0-255, no leading zeros (which some tools read as octal). */
    private static IpAddress parseV4(String text) {
        long v = quad(text);
        return v < 0 ? null : v4((int) v);
    }

    private static long quad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return -1;
            }
            int o = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                o = o * 10 + (c - '0');
            }
            if (o > 255) {
                return -1;
            }
            v = (v << 8) | o;
        }
        return v;
    }

    private static IpAddress parseV6(String text) {
        int[] groups = new int[8];
        int n = 0;
        int gap = -1;
        int i = 0;
        int len = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.startsWith(":")) {
            return null;
        }
        while (i < len) {
            if (n == 8) {
                return null;
            }
            int colon = text.indexOf(':', i);
            String part = colon < 0 ? text.substring(i) : text.substring(i, colon);
            if (part.contains(".")) {
                // An embedded IPv4 address ends the text: ::ffff:192.0.2.1
                long q = colon < 0 ? quad(part) : -1;
                if (q < 0 || n > 6) {
                    return null;
                }
                groups[n++] = (int) (q >>> 16);
                groups[n++] = (int) (q & 0xffff);
                i = len;
                break;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int g = 0;
            for (int k = 0; k < part.length(); k++) {
                int d = Character.digit(part.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                g = (g << 4) | d;
            }
            groups[n++] = g;
            if (colon < 0) {
                i = len;
            } else if (colon + 1 < len && text.charAt(colon + 1) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = n;
                i = colon + 2;
            } else if (colon + 1 == len) {
                return null;
            } else {
                i = colon + 1;
            }
        }
        if (gap < 0 ? n != 8 : n == 8) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = n - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | full[k];
            lo = (lo << 16) | full[k + 4];
        }
        return v6(hi, lo);
    }

    /** The IPv4 address as an int (its bits). */
    public int v4bits() {
        return (int) lo;
    }

    public boolean isV6() {
        return family == Family.V6;
    }

    /** 0.0.0.0 or :: (no address picked yet). */
    public boolean isUnspecified() {
        return hi == 0 && lo == 0;
    }

    /** fe80::/10 */
    public boolean isLinkLocal() {
        return family == Family.V6 && (hi >>> 54) == 0x3fa;
    }

    /** ff00::/8, or 224.0.0.0/4 */
    public boolean isMulticast() {
        return family == Family.V6 ? (hi >>> 56) == 0xff : (lo >>> 28) == 0xe;
    }

    /** The address n further on (n may be negative), within the family. */
    public IpAddress plus(long n) {
        if (family == Family.V4) {
            return v4((int) (lo + n));
        }
        long newLo = lo + n;
        long carry = n >= 0 ? (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0) : (Long.compareUnsigned(newLo, lo) > 0 ? -1 : 0);
        return v6(hi + carry, newLo);
    }

    /** The bytes in network order. */
    public byte[] bytes() {
        int n = family.bytes();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int bit = (n - 1 - i) * 8;
            b[i] = (byte) (bit >= 64 ? hi >>> (bit - 64) : lo >>> bit);
        }
        return b;
    }

    /** Bit i counted from the most significant (0) to the least (31 or 127). */
    boolean bit(int i) {
        int fromLow = family.bits() - 1 - i;
        return ((fromLow >= 64 ? hi >>> (fromLow - 64) : lo >>> fromLow) & 1) == 1;
    }

    /** The first prefix bits kept, the rest cleared. */
    public IpAddress masked(int prefix) {
        int total = family.bits();
        if (prefix >= total) {
            return this;
        }
        int clear = total - prefix;
        if (family == Family.V4) {
            return v4((int) (lo & (0xffff_ffffL << clear)));
        }
        long h = hi;
        long l = lo;
        if (clear >= 64) {
            l = 0;
            h = clear >= 128 ? 0 : h & (-1L << (clear - 64));
        } else {
            l = l & (-1L << clear);
        }
        return v6(h, l);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        if (family == Family.V4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            g[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        // RFC 5952: the longest run of two or more zero groups (the first of equal runs) becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int s = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - s > bestLen) {
                bestStart = s;
                bestLen = k - s;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
