package io.macvlandoctor.model;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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

    /**
     * Ids nobody else on the wire can guess, from the kernel's random bytes. Read straight from /dev/urandom: a
     * SecureRandom looks up its providers and seeds itself first, 6-10 ms before every run's first probe.
     */
    public static ProbeIds random() {
        return of(urandom());
    }

    /** The ids in 16 random bytes: a token that is never 0 (no token), an identifier in 1-65534. */
    static ProbeIds of(byte[] r) {
        ByteBuffer b = ByteBuffer.wrap(r);
        long token = b.getLong();
        int id = 1 + Short.toUnsignedInt(b.getShort()) % 0xfffe;
        return new ProbeIds(id, token == 0 ? 1 : token);
    }

    private static byte[] urandom() {
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            byte[] r = in.readNBytes(16);
            if (r.length == 16) {
                return r;
            }
        } catch (IOException e) {
            // No /dev/urandom (a chroot without /dev): the JDK's own source.
        }
        byte[] r = new byte[16];
        new SecureRandom().nextBytes(r);
        return r;
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
