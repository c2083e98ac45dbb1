package io.macvlandoctor.capture;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.ProbeIds;

/**
 * Decodes Ethernet frames (with at most one 802.1Q tag) down to ARP and IPv4/ICMP. Pure and allocation-light;
 * a short or odd frame is never an error, it is simply a frame of kind OTHER.
 */
public final class FrameDecoder {
    private static final int ETH_HEADER = 14;

    private FrameDecoder() {
    }

    public static Frame decode(CapturePoint point, Direction dir, long timeNs, byte[] b, int originalLength) {
        return decode(point, dir, timeNs, b, b.length, originalLength);
    }

    /** Decodes b[0, len); the frame keeps a reference to b. */
    public static Frame decode(CapturePoint point, Direction dir, long timeNs, byte[] b, int len, int originalLength) {
        if (len < ETH_HEADER) {
            return new Frame(point, dir, timeNs, 0, 0, FrameKind.OTHER, 0, 0, 0, 0, 0, 0, 0, b, originalLength);
        }
        long dst = mac(b, 0);
        long src = mac(b, 6);
        int type = u16(b, 12);
        int off = ETH_HEADER;
        if (type == 0x8100 && len >= ETH_HEADER + 4) {
            type = u16(b, 16);
            off += 4;
        }
        if (type == 0x0806) {
            return arp(point, dir, timeNs, b, len, off, src, dst, originalLength);
        }
        if (type == 0x0800) {
            return ipv4(point, dir, timeNs, b, len, off, src, dst, originalLength);
        }
        return new Frame(point, dir, timeNs, src, dst, FrameKind.OTHER, 0, 0, 0, 0, 0, 0, 0, b, originalLength);
    }

    private static Frame arp(CapturePoint point, Direction dir, long ts, byte[] b, int len, int off, long src,
                             long dst, int origLen) {
        // Ethernet/IPv4 ARP only: htype 1, ptype 0x0800, hlen 6, plen 4.
        if (len < off + 28 || u16(b, off) != 1 || u16(b, off + 2) != 0x0800 || b[off + 4] != 6 || b[off + 5] != 4) {
            return new Frame(point, dir, ts, src, dst, FrameKind.OTHER, 0, 0, 0, 0, 0, 0, 0, b, origLen);
        }
        int op = u16(b, off + 6);
        FrameKind kind = op == 1 ? FrameKind.ARP_REQUEST : op == 2 ? FrameKind.ARP_REPLY : FrameKind.OTHER;
        return new Frame(point, dir, ts, src, dst, kind, i32(b, off + 14), i32(b, off + 24), 0, 0, 0,
                mac(b, off + 8), mac(b, off + 18), b, origLen);
    }

    private static Frame ipv4(CapturePoint point, Direction dir, long ts, byte[] b, int len, int off, long src,
                              long dst, int origLen) {
        if (len < off + 20 || (b[off] >> 4 & 0xf) != 4) {
            return new Frame(point, dir, ts, src, dst, FrameKind.OTHER, 0, 0, 0, 0, 0, 0, 0, b, origLen);
        }
        int ihl = (b[off] & 0xf) * 4;
        int srcIp = i32(b, off + 12);
        int dstIp = i32(b, off + 16);
        int proto = b[off + 9] & 0xff;
        boolean firstFragment = (u16(b, off + 6) & 0x1fff) == 0;
        int icmp = off + ihl;
        if (proto != 1 || ihl < 20 || !firstFragment || len < icmp + 8) {
            return new Frame(point, dir, ts, src, dst, FrameKind.IPV4_OTHER, srcIp, dstIp, 0, 0, 0, 0, 0, b, origLen);
        }
        int icmpType = b[icmp] & 0xff;
        if (icmpType != 0 && icmpType != 8) {
            return new Frame(point, dir, ts, src, dst, FrameKind.ICMP_OTHER, srcIp, dstIp, 0, 0, 0, 0, 0, b, origLen);
        }
        // Bounded by the IP total length too, so Ethernet padding is never read as payload.
        int ipEnd = Math.min(len, off + Math.max(u16(b, off + 2), 20));
        long token = ProbeIds.tokenIn(b, icmp + 8, ipEnd);
        return new Frame(point, dir, ts, src, dst,
                icmpType == 8 ? FrameKind.ICMP_ECHO_REQUEST : FrameKind.ICMP_ECHO_REPLY, srcIp, dstIp,
                u16(b, icmp + 4), u16(b, icmp + 6), token, 0, 0, b, origLen);
    }

    static long mac(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static int i32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
