package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;

/** MAC addresses as the low 48 bits of a long. */
public final class Mac {
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private Mac() {
    }

    public static long parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", -1);
        if (parts.length != 6) {
            throw new UsageException("invalid MAC address '" + text + "'");
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("[0-9a-fA-F]{2}")) {
                throw new UsageException("invalid MAC address '" + text + "'");
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return v;
    }

    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    public static boolean isMulticast(long mac) {
        return ((mac >>> 40) & 1) == 1;
    }
}
