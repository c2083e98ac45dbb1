package io.macvlandoctor.capture;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.ProbeIds;
import java.nio.ByteBuffer;

/**
 * Decodes Ethernet frames (behind any stack of 802.1Q / 802.1ad tags, as on a trunk) down to ARP, IPv4/ICMP and
 * IPv6/ICMPv6 (echo, neighbour solicitation and advertisement; through IPv6 extension headers). Pure and
 * allocation-light; a short or odd frame is never an error, it is simply a frame of kind OTHER (or IPV4_OTHER,
 * IPV6_OTHER).
 */
public final class FrameDecoder {
    private static final int ETH_HEADER = 14;
    private static final int ICMP6 = 58;
    /** More tags than this is no frame a host sends. */
    private static final int MAX_TAGS = 8;

    /**
     * The EtherType behind the VLAN tags (802.1Q 0x8100, 802.1ad 0x88a8, and the pre-standard QinQ 0x9100, 0x9200,
     * 0x9300), and where the layer-3 header starts, as (type << 16) | offset (read the type with >>>); -1 for a frame
     * too short.
     */
    static int untagged(ByteBuffer b, int off, int len) {
        if (len < ETH_HEADER) {
            return -1;
        }
        int type = u16(b, off + 12);
        int l3 = ETH_HEADER;
        for (int tags = 0; isTag(type) && tags < MAX_TAGS; tags++) {
            if (len < l3 + 4) {
                return -1;
            }
            type = u16(b, off + l3 + 2);
            l3 += 4;
        }
        return (type << 16) | l3;
    }

    private static boolean isTag(int type) {
        return type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200 || type == 0x9300;
    }

    /**
     * Whether an IPv6 packet at l3 carries ICMPv6, through its extension headers (hop-by-hop, routing, fragment,
     * destination options, AH), as tcpdump's `ip6 protochain 58` decides it: bounded by the bytes captured.
     */
    static boolean icmp6Within(ByteBuffer b, int off, int l3, int len) {
        if (len < l3 + 40) {
            return false;
        }
        int next = b.get(off + l3 + 6) & 0xff;
        int p = l3 + 40;
        for (int hops = 0; hops <= MAX_TAGS; hops++) {
            if (next == ICMP6) {
                return true;
            }
            int hdrLen;
            if (next == 0 || next == 43 || next == 60) {
                if (p + 2 > len) {
                    return false;
                }
                hdrLen = 8 + (b.get(off + p + 1) & 0xff) * 8;
            } else if (next == 44) {
                if (p + 8 > len) {
                    return false;
                }
                hdrLen = 8;
            } else if (next == 51) {
                if (p + 2 > len) {
                    return false;
                }
                hdrLen = ((b.get(off + p + 1) & 0xff) + 2) * 4;
            } else {
                return false;
            }
            next = b.get(off + p) & 0xff;
            p += hdrLen;
        }
        return false;
    }

    private FrameDecoder() {
    }

    public static Frame decode(CapturePoint point, Direction dir, long timeNs, byte[] b, int originalLength) {
        return decode(point, dir, timeNs, b, b.length, originalLength);
    }

    /** Decodes b[0, len); the frame keeps a reference to b. */
    public static Frame decode(CapturePoint point, Direction dir, long timeNs, byte[] b, int len, int originalLength) {
        return decode(point, dir, timeNs, b, len, originalLength, false);
    }

    /**
     * Whether the frame at [off, off + len) of the buffer can matter to the checks (ARP, ICMP, ICMPv6 or an IPv6
     * extension header): a look at a few bytes, without copying or allocating. In a buffer, because analyze reads
     * captures into one outside the heap (a heap buffer costs the read a second copy of every byte).
     */
    public static boolean matters(ByteBuffer b, int off, int len) {
        int u = untagged(b, off, len);
        return u != -1 && matters(b, off, len, u);
    }

    /** The same, once the frame's tags are passed: u is what {@link #untagged} found. */
    private static boolean matters(ByteBuffer b, int off, int len, int u) {
        int type = u >>> 16;
        int l3 = u & 0xffff;
        if (type == 0x0806) {
            return true;
        }
        if (type == 0x0800) {
            return len >= l3 + 20 && (b.get(off + l3 + 9) & 0xff) == 1;
        }
        return type == 0x86DD && icmp6Within(b, off, l3, len);
    }

    /**
     * @param mattersOnly return null, having allocated nothing, for frames the checks cannot use (anything but
     *     ARP, echo, neighbour discovery and ICMP errors): for files of millions of unrelated frames
     */
    public static Frame decode(CapturePoint point, Direction dir, long timeNs, byte[] b, int len, int originalLength,
                               boolean mattersOnly) {
        if (len < ETH_HEADER) {
            return mattersOnly ? null : other(point, dir, timeNs, 0, 0, FrameKind.OTHER, b, originalLength);
        }
        ByteBuffer w = ByteBuffer.wrap(b);
        int u = untagged(w, 0, len);
        if (u == -1) {
            return mattersOnly ? null : other(point, dir, timeNs, mac(b, 6), mac(b, 0), FrameKind.OTHER, b,
                    originalLength);
        }
        if (mattersOnly && !matters(w, 0, len, u)) {
            return null;
        }
        int type = u >>> 16;
        int off = u & 0xffff;
        long dst = mac(b, 0);
        long src = mac(b, 6);
        return switch (type) {
            case 0x0806 -> arp(point, dir, timeNs, b, len, off, src, dst, originalLength);
            case 0x0800 -> ipv4(point, dir, timeNs, b, len, off, src, dst, originalLength);
            case 0x86DD -> ipv6(point, dir, timeNs, b, len, off, src, dst, originalLength);
            default -> other(point, dir, timeNs, src, dst, FrameKind.OTHER, b, originalLength);
        };
    }

    private static Frame other(CapturePoint point, Direction dir, long ts, long src, long dst, FrameKind kind,
                               byte[] b, int origLen) {
        return new Frame(point, dir, ts, src, dst, kind, null, null, 0, 0, 0, 0, 0, b, origLen);
    }

    private static Frame arp(CapturePoint point, Direction dir, long ts, byte[] b, int len, int off, long src,
                             long dst, int origLen) {
        // Ethernet/IPv4 ARP only: htype 1, ptype 0x0800, hlen 6, plen 4.
        if (len < off + 28 || u16(b, off) != 1 || u16(b, off + 2) != 0x0800 || b[off + 4] != 6 || b[off + 5] != 4) {
            return other(point, dir, ts, src, dst, FrameKind.OTHER, b, origLen);
        }
        int op = u16(b, off + 6);
        if (op != 1 && op != 2) {
            return other(point, dir, ts, src, dst, FrameKind.OTHER, b, origLen);
        }
        return new Frame(point, dir, ts, src, dst, op == 1 ? FrameKind.ARP_REQUEST : FrameKind.ARP_REPLY,
                IpAddress.of(b, off + 14, Family.V4), IpAddress.of(b, off + 24, Family.V4), 0, 0, 0,
                mac(b, off + 8), mac(b, off + 18), b, origLen);
    }

    private static Frame ipv4(CapturePoint point, Direction dir, long ts, byte[] b, int len, int off, long src,
                              long dst, int origLen) {
        if (len < off + 20 || (b[off] >> 4 & 0xf) != 4) {
            return other(point, dir, ts, src, dst, FrameKind.OTHER, b, origLen);
        }
        int ihl = (b[off] & 0xf) * 4;
        IpAddress srcIp = IpAddress.of(b, off + 12, Family.V4);
        IpAddress dstIp = IpAddress.of(b, off + 16, Family.V4);
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

    private static Frame ipv6(CapturePoint point, Direction dir, long ts, byte[] b, int len, int off, long src,
                              long dst, int origLen) {
        if (len < off + 40 || (b[off] >> 4 & 0xf) != 6) {
            return other(point, dir, ts, src, dst, FrameKind.OTHER, b, origLen);
        }
        IpAddress srcIp = IpAddress.of(b, off + 8, Family.V6);
        IpAddress dstIp = IpAddress.of(b, off + 24, Family.V6);
        int end = Math.min(len, off + 40 + u16(b, off + 4));
        int next = b[off + 6] & 0xff;
        int p = off + 40;
        // Hop-by-hop, routing and destination options (8-octet units after the first 8), a first fragment, AH (4-octet
        // units after the first 8): skipped.
        for (int hops = 0; hops < 8 && (next == 0 || next == 43 || next == 60 || next == 44 || next == 51); hops++) {
            if (p + 8 > end) {
                return new Frame(point, dir, ts, src, dst, FrameKind.IPV6_OTHER, srcIp, dstIp, 0, 0, 0, 0, 0, b,
                        origLen);
            }
            if (next == 44 && (u16(b, p + 2) & 0xfff8) != 0) {
                return new Frame(point, dir, ts, src, dst, FrameKind.IPV6_OTHER, srcIp, dstIp, 0, 0, 0, 0, 0, b,
                        origLen);
            }
            int hdrLen = next == 44 ? 8 : next == 51 ? ((b[p + 1] & 0xff) + 2) * 4 : 8 + (b[p + 1] & 0xff) * 8;
            next = b[p] & 0xff;
            p += hdrLen;
        }
        if (next != ICMP6 || p + 8 > end) {
            return new Frame(point, dir, ts, src, dst, FrameKind.IPV6_OTHER, srcIp, dstIp, 0, 0, 0, 0, 0, b, origLen);
        }
        int type = b[p] & 0xff;
        switch (type) {
            case 128, 129 -> {
                long token = ProbeIds.tokenIn(b, p + 8, end);
                return new Frame(point, dir, ts, src, dst, type == 128 ? FrameKind.ICMP6_ECHO_REQUEST
                        : FrameKind.ICMP6_ECHO_REPLY, srcIp, dstIp, u16(b, p + 4), u16(b, p + 6), token, 0, 0, b,
                        origLen);
            }
            case 135, 136 -> {
                if (p + 24 > end) {
                    break;
                }
                IpAddress target = IpAddress.of(b, p + 8, Family.V6);
                long lladdr = 0;
                long token = 0;
                // Options: source (1) or target (2) link-layer address, nonce (14): type, length in 8-octet units.
                for (int o = p + 24; o + 2 <= end; ) {
                    int ot = b[o] & 0xff;
                    int ol = (b[o + 1] & 0xff) * 8;
                    if (ol == 0 || o + ol > end) {
                        break;
                    }
                    if ((ot == 1 || ot == 2) && ol >= 8) {
                        lladdr = mac(b, o + 2);
                    } else if (ot == 14) {
                        token = ProbeIds.tokenIn(b, o + 2, o + ol);
                    }
                    o += ol;
                }
                return type == 135
                        ? new Frame(point, dir, ts, src, dst, FrameKind.NDP_SOLICIT, srcIp, target, 0, 0, token, lladdr,
                                0, b, origLen)
                        : new Frame(point, dir, ts, src, dst, FrameKind.NDP_ADVERT, target, dstIp, 0, 0, token, lladdr,
                                0, b, origLen);
            }
            default -> {
            }
        }
        return new Frame(point, dir, ts, src, dst, FrameKind.ICMP6_OTHER, srcIp, dstIp, 0, 0, 0, 0, 0, b, origLen);
    }

    /** The six bytes at off as a MAC in the low 48 bits of a long. */
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

    static int u16(ByteBuffer b, int off) {
        return ((b.get(off) & 0xff) << 8) | (b.get(off + 1) & 0xff);
    }
}
