package io.macvlandoctor.probe;

import io.macvlandoctor.model.Mac;

/** Builds the bytes of our probes (and, for tests and benchmarks, whole frames). Pure. */
public final class Packets {
    private Packets() {
    }

    /** An Ethernet broadcast ARP request "who-has targetIp tell senderIp", as arping sends it. */
    public static byte[] arpRequest(long senderMac, int senderIp, int targetIp) {
        return arp(1, Mac.BROADCAST, senderMac, senderIp, Mac.BROADCAST, targetIp);
    }

    public static byte[] arpReply(long senderMac, int senderIp, long targetMac, int targetIp) {
        return arp(2, targetMac, senderMac, senderIp, targetMac, targetIp);
    }

    private static byte[] arp(int op, long ethDst, long sha, int spa, long tha, int tpa) {
        byte[] b = new byte[42];
        putMac(b, 0, ethDst);
        putMac(b, 6, sha);
        put16(b, 12, 0x0806);
        put16(b, 14, 1);
        put16(b, 16, 0x0800);
        b[18] = 6;
        b[19] = 4;
        put16(b, 20, op);
        putMac(b, 22, sha);
        put32(b, 28, spa);
        putMac(b, 32, tha);
        put32(b, 38, tpa);
        return b;
    }

    /** An ICMP echo message (type 8 request or 0 reply), header and payload, with its checksum. */
    public static byte[] icmpEcho(int type, int id, int seq, byte[] payload) {
        byte[] b = new byte[8 + payload.length];
        b[0] = (byte) type;
        put16(b, 4, id);
        put16(b, 6, seq);
        System.arraycopy(payload, 0, b, 8, payload.length);
        put16(b, 2, checksum(b, 0, b.length));
        return b;
    }

    /** A whole Ethernet/IPv4/ICMP echo frame. */
    public static byte[] echoFrame(long srcMac, long dstMac, int srcIp, int dstIp, int type, int id, int seq,
                                   byte[] payload) {
        byte[] icmp = icmpEcho(type, id, seq, payload);
        byte[] b = new byte[14 + 20 + icmp.length];
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        put16(b, 12, 0x0800);
        b[14] = 0x45;
        put16(b, 16, 20 + icmp.length);
        put16(b, 20, 0x4000);
        b[22] = 64;
        b[23] = 1;
        put32(b, 26, srcIp);
        put32(b, 30, dstIp);
        put16(b, 24, checksum(b, 14, 20));
        System.arraycopy(icmp, 0, b, 34, icmp.length);
        return b;
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void putMac(byte[] b, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            b[off + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
