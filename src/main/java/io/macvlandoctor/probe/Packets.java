package io.macvlandoctor.probe;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.ProbeIds;

/** Builds the bytes of our probes (and, for tests and benchmarks, whole frames). Pure. */
public final class Packets {
    private Packets() {
    }

    /** An Ethernet broadcast ARP request "who-has targetIp tell senderIp", as arping sends it. */
    public static byte[] arpRequest(long senderMac, IpAddress senderIp, IpAddress targetIp) {
        return arp(1, Mac.BROADCAST, senderMac, senderIp.v4bits(), Mac.BROADCAST, targetIp.v4bits());
    }

    public static byte[] arpReply(long senderMac, IpAddress senderIp, long targetMac, IpAddress targetIp) {
        return arp(2, targetMac, senderMac, senderIp.v4bits(), targetMac, targetIp.v4bits());
    }

    /**
     * A neighbour solicitation for target from src (as ndisc6 sends it): to the target's solicited-node multicast
     * address, with our source link-layer address and a nonce option carrying the run's token, so that our
     * solicitation is told from the kernel's (which ignores a nonce outside duplicate address detection).
     */
    public static byte[] neighbourSolicitation(long srcMac, IpAddress src, IpAddress target, long token) {
        byte[] t = target.bytes();
        byte[] dst = new byte[16];
        dst[0] = (byte) 0xff;
        dst[1] = 0x02;
        dst[11] = 0x01;
        dst[12] = (byte) 0xff;
        dst[13] = t[13];
        dst[14] = t[14];
        dst[15] = t[15];
        // 33:33 and the multicast address's last four bytes: 33:33:ff:xx:yy:zz.
        long dstMac = 0x3333_ff00_0000L | ((t[13] & 0xffL) << 16) | ((t[14] & 0xffL) << 8) | (t[15] & 0xffL);
        // ICMPv6: type, code, checksum, reserved, target; options: source link-layer address (8), nonce (16).
        byte[] icmp = new byte[24 + 8 + 16];
        icmp[0] = (byte) 135;
        System.arraycopy(t, 0, icmp, 8, 16);
        icmp[24] = 1;
        icmp[25] = 1;
        putMac(icmp, 26, srcMac);
        icmp[32] = 14;
        icmp[33] = 2;
        System.arraycopy(ProbeIds.MAGIC, 0, icmp, 34, 4);
        for (int i = 0; i < 8; i++) {
            icmp[38 + i] = (byte) (token >>> (56 - 8 * i));
        }
        return ipv6Frame(srcMac, dstMac, src.bytes(), dst, 255, icmp);
    }

    /** A whole Ethernet/IPv6/ICMPv6 frame, checksum filled in. */
    public static byte[] ipv6Frame(long srcMac, long dstMac, byte[] src, byte[] dst, int hopLimit, byte[] icmp) {
        byte[] b = new byte[14 + 40 + icmp.length];
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        put16(b, 12, 0x86DD);
        b[14] = 0x60;
        put16(b, 18, icmp.length);
        b[20] = 58;
        b[21] = (byte) hopLimit;
        System.arraycopy(src, 0, b, 22, 16);
        System.arraycopy(dst, 0, b, 38, 16);
        System.arraycopy(icmp, 0, b, 54, icmp.length);
        // Checksum over the pseudo-header (addresses, length, next header) and the message.
        byte[] pseudo = new byte[40 + icmp.length];
        System.arraycopy(src, 0, pseudo, 0, 16);
        System.arraycopy(dst, 0, pseudo, 16, 16);
        put32(pseudo, 32, icmp.length);
        pseudo[39] = 58;
        System.arraycopy(icmp, 0, pseudo, 40, icmp.length);
        pseudo[40 + 2] = 0;
        pseudo[40 + 3] = 0;
        put16(b, 54 + 2, checksum(pseudo, 0, pseudo.length));
        return b;
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

    /** An echo request of the family (ICMPv6's checksum is the kernel's to fill in). */
    public static byte[] echoRequest(Family f, int id, int seq, byte[] payload) {
        return f == Family.V4 ? icmpEcho(8, id, seq, payload) : icmp6Echo(128, id, seq, payload);
    }

    /** An ICMPv6 echo message (128 request, 129 reply) without its checksum, which depends on the addresses. */
    public static byte[] icmp6Echo(int type, int id, int seq, byte[] payload) {
        byte[] b = new byte[8 + payload.length];
        b[0] = (byte) type;
        put16(b, 4, id);
        put16(b, 6, seq);
        System.arraycopy(payload, 0, b, 8, payload.length);
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

    /** A whole Ethernet/IPv4/ICMP or Ethernet/IPv6/ICMPv6 echo frame (request or reply). */
    public static byte[] echoFrame(long srcMac, long dstMac, IpAddress srcIp, IpAddress dstIp, boolean request, int id,
                                   int seq, byte[] payload) {
        if (srcIp.family() == Family.V6) {
            return ipv6Frame(srcMac, dstMac, srcIp.bytes(), dstIp.bytes(), 64,
                    icmp6Echo(request ? 128 : 129, id, seq, payload));
        }
        return echoFrame(srcMac, dstMac, srcIp.v4bits(), dstIp.v4bits(), request ? 8 : 0, id, seq, payload);
    }

    private static byte[] echoFrame(long srcMac, long dstMac, int srcIp, int dstIp, int type, int id, int seq,
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
