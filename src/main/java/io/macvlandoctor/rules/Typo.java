package io.macvlandoctor.rules;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;

/** Two addresses a typo apart. */
final class Typo {
    private Typo() {
    }

    /**
     * Two addresses of one family that differ by one edit in one group: a digit changed, added or dropped (.140
     * for .240, .24 for .240; 2001:db8::f0 for 2001:db8::f1).
     */
    static boolean oneAway(IpAddress a, IpAddress b) {
        if (a == null || b == null || a.family() != b.family()) {
            return false;
        }
        String sep = a.family() == Family.V4 ? "\\." : ":";
        String[] x = expand(a).split(sep, -1);
        String[] y = expand(b).split(sep, -1);
        if (x.length != y.length) {
            return false;
        }
        int differing = 0;
        for (int i = 0; i < x.length; i++) {
            if (!x[i].equals(y[i])) {
                differing++;
                if (differing > 1 || editDistance(x[i], y[i]) != 1) {
                    return false;
                }
            }
        }
        return differing == 1;
    }

    /** IPv4 as written; IPv6 with all eight groups (no "::"), without leading zeros. */
    private static String expand(IpAddress a) {
        if (a.family() == Family.V4) {
            return a.toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            long g = (k < 4 ? a.hi() >>> (48 - 16 * k) : a.lo() >>> (48 - 16 * (k - 4))) & 0xffff;
            sb.append(k == 0 ? "" : ":").append(Long.toHexString(g));
        }
        return sb.toString();
    }

    private static int editDistance(String s, String t) {
        int[] prev = new int[t.length() + 1];
        int[] cur = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= t.length(); j++) {
                int sub = prev[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[t.length()];
    }
}
