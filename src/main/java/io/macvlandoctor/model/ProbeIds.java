package io.macvlandoctor.model;

import java.security.SecureRandom;

/**
 * What makes one run's probes recognisable among unrelated traffic: an ICMP echo identifier and a 64-bit token
 * carried at the start of the echo payload after the magic "MVD1".
 */
public record ProbeIds(int icmpId, long token) {
    public static final byte[] MAGIC = {'M', 'V', 'D', '1'};
    /** Echo sequence numbers: one per probe, so that each exchange is told apart by (id, seq). */
    public static final int SEQ_HOST_TO_CONTAINER = 1;
    public static final int SEQ_CONTAINER_TO_HOST = 2;
    /** The container's echo to its Nth LAN peer has sequence number SEQ_LAN + N (N from 0). */
    public static final int SEQ_LAN = 16;
    /** Payload length, as iputils ping sends by default. */
    public static final int PAYLOAD_LENGTH = 56;

    private static final SecureRandom RANDOM = new SecureRandom();

    public static ProbeIds random() {
        long token;
        do {
            token = RANDOM.nextLong();
        } while (token == 0);
        return new ProbeIds(1 + RANDOM.nextInt(0xfffe), token);
    }

    /** The echo payload: MAGIC, the token (big-endian), the sequence number, then a recognisable filler. */
    public byte[] payload(int seq) {
        byte[] p = new byte[PAYLOAD_LENGTH];
        System.arraycopy(MAGIC, 0, p, 0, 4);
        for (int i = 0; i < 8; i++) {
            p[4 + i] = (byte) (token >>> (56 - 8 * i));
        }
        p[12] = (byte) seq;
        for (int i = 13; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** The token in a payload that starts at off, or 0 when it is not one of ours. */
    public static long tokenIn(byte[] b, int off, int end) {
        if (end - off < 12 || b[off] != 'M' || b[off + 1] != 'V' || b[off + 2] != 'D' || b[off + 3] != '1') {
            return 0;
        }
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | (b[off + 4 + i] & 0xff);
        }
        return t;
    }
}
