package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;

/** IPv4 addresses as ints: compact in frames, cheap to compare. */
public final class Ipv4 {
    private Ipv4() {
    }

    /** Strict dotted quad: four decimal octets 0-255, no leading zeros (which some tools read as octal). */
    public static int parse(String text) {
        Integer v = tryParse(text);
        if (v == null) {
            throw new UsageException("invalid IPv4 address '" + text + "'");
        }
        return v;
    }

    public static Integer tryParse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int o = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                o = o * 10 + (c - '0');
            }
            if (o > 255) {
                return null;
            }
            v = (v << 8) | o;
        }
        return v;
    }

    public static String format(int ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    public static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }
}
