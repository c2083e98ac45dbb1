package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;

/**
 * A raw ICMP or ICMPv6 socket in one namespace: echo requests go through that namespace's kernel (its routing and
 * its choice of source address are what gets tested), and replies are seen after the kernel accepted them (after
 * rp_filter and netfilter), which a capture on the interface cannot tell. The socket's own drop counter says when
 * its queue, not the kernel, lost a reply.
 */
public final class RawIcmpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_MEMINFO = 55;
    /** SK_MEMINFO_DROPS in the u32 array SO_MEMINFO returns. */
    private static final int SK_MEMINFO_DROPS = 8;
    private static final int ICMP6_FILTER = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    private final int fd;
    private final Family family;
    /** Kept reachable while the kernel holds a copy (it copies at setsockopt, but keep it simple and alive). */
    @SuppressWarnings("unused")
    private Memory filter;
    private final Netns ns;
    private final long dropsAtOpen;
    private boolean closed;

    private RawIcmpSocket(int fd, Family family, Netns ns) {
        this.fd = fd;
        this.family = family;
        this.ns = ns;
        this.dropsAtOpen = readDrops();
    }

    /**
     * A raw socket receives every ICMP packet of its namespace; under a flood its queue fills with strangers and our
     * reply is lost. Filters (as iputils ping installs) let only echo replies with our id through.
     */
    public static RawIcmpSocket open(Netns ns, Family f, int echoId) {
        int fd = Namespaces.call(ns, () -> {
            try {
                return LibC.socket(f == Family.V4 ? AF_INET : AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
                        f == Family.V4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
            } catch (LastErrorException e) {
                throw new EnvironmentException("cannot open a raw " + (f == Family.V4 ? "ICMP" : "ICMPv6")
                        + " socket in " + ns.label() + ": " + Namespaces.strerror(e)
                        + (e.getErrorCode() == 1 ? " (needs CAP_NET_RAW)" : ""), e);
            }
        });
        RawIcmpSocket s = new RawIcmpSocket(fd, f, ns);
        try {
            if (f == Family.V6) {
                s.onlyEchoReplies6();
            }
            s.attachEchoReplyFilter(echoId);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** ICMPv6's own type filter: a set bit blocks the type. */
    private void onlyEchoReplies6() {
        byte[] filt = new byte[32];
        java.util.Arrays.fill(filt, (byte) 0xff);
        int type = 129; // echo reply
        int word = type >> 5;
        int bit = type & 31;
        int v = ~(1 << bit);
        for (int i = 0; i < 4; i++) {
            filt[word * 4 + i] &= (byte) (v >>> (8 * i));
        }
        try {
            LibC.setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, filt, filt.length);
        } catch (LastErrorException e) {
            throw new EnvironmentException("cannot filter the ICMPv6 socket in " + ns.label() + ": "
                    + Namespaces.strerror(e), e);
        }
    }

    private void attachEchoReplyFilter(int id) {
        // An ICMP socket's filter sees the IPv4 header first; an ICMPv6 socket's sees the ICMPv6 message.
        int[][] prog = family == Family.V4 ? new int[][] {
            {0xb1, 0, 0, 0},        // ldx 4*([0]&0xf)   X = IP header length
            {0x50, 0, 0, 0},        // ldb [x+0]         ICMP type
            {0x15, 0, 3, 0},        // jeq #0 (echo reply), else drop
            {0x48, 0, 0, 4},        // ldh [x+4]         echo identifier
            {0x15, 0, 1, id},       // jeq #id, else drop
            {0x06, 0, 0, 0xffff},   // accept
            {0x06, 0, 0, 0},        // drop
        } : new int[][] {
            {0x30, 0, 0, 0},        // ldb [0]           ICMPv6 type
            {0x15, 0, 3, 129},      // jeq #129 (echo reply), else drop
            {0x28, 0, 0, 4},        // ldh [4]           echo identifier
            {0x15, 0, 1, id},       // jeq #id, else drop
            {0x06, 0, 0, 0xffff},   // accept
            {0x06, 0, 0, 0},        // drop
        };
        Memory mem = new Memory(8L * prog.length);
        for (int i = 0; i < prog.length; i++) {
            mem.setShort(8L * i, (short) prog[i][0]);
            mem.setByte(8L * i + 2, (byte) prog[i][1]);
            mem.setByte(8L * i + 3, (byte) prog[i][2]);
            mem.setInt(8L * i + 4, prog[i][3]);
        }
        byte[] fprog = new byte[16]; // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        fprog[0] = (byte) prog.length;
        putLong(fprog, 8, Pointer.nativeValue(mem));
        try {
            LibC.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, fprog.length);
        } catch (LastErrorException e) {
            throw new EnvironmentException("cannot filter the ICMP socket in " + ns.label() + ": "
                    + Namespaces.strerror(e), e);
        }
        // Packets queued before the filter was attached may be strangers: the id check in awaitEchoReply stays.
        this.filter = mem;
    }

    /**
     * Sends an ICMP message (header and payload; the kernel adds the IP header, and for ICMPv6 the checksum) to dst.
     * Returns null when the kernel took it, else why it refused ("network unreachable"): a result, not an error.
     */
    public String send(IpAddress dst, byte[] icmp) {
        byte[] sa;
        if (family == Family.V4) {
            sa = new byte[16];
            sa[0] = AF_INET; // sa_family_t in host (little-endian) order
            System.arraycopy(dst.bytes(), 0, sa, 4, 4);
        } else {
            sa = new byte[28];
            sa[0] = AF_INET6;
            System.arraycopy(dst.bytes(), 0, sa, 8, 16);
        }
        try {
            LibC.sendto(fd, icmp, icmp.length, 0, sa, sa.length);
            return null;
        } catch (LastErrorException e) {
            return sendError(e.getErrorCode());
        }
    }

    static String sendError(int errno) {
        return switch (errno) {
            case 101 -> "network unreachable (no route)";
            case 113 -> "host unreachable";
            case 1 -> "operation not permitted (a netfilter rule rejects it on the way out)";
            case 13 -> "permission denied";
            case 22 -> "invalid argument";
            default -> "errno " + errno;
        };
    }

    /**
     * Waits until deadline (System.nanoTime) for an echo reply from src with this id and seq; returns the time it
     * arrived (System.nanoTime) or -1. After the deadline the queue is read once more without waiting: a reply that
     * arrived while this thread was not running (a loaded machine) is in it.
     */
    public long awaitEchoReply(IpAddress src, int id, int seq, long deadline) throws InterruptedException {
        byte[] buf = new byte[1500];
        byte[] from = new byte[28];
        int[] fromLen = new int[1];
        boolean last = false;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            int flags = 0;
            if (left <= 0) {
                if (last) {
                    return -1;
                }
                last = true;
                flags = MSG_DONTWAIT;
            } else {
                // Short slices, so that an interrupt (Ctrl-C in the shell) is noticed within 50 ms.
                setTimeout(Math.min(left, 50_000_000L));
            }
            long n;
            try {
                fromLen[0] = from.length;
                n = LibC.recvfrom(fd, buf, buf.length, flags, from, fromLen);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                    continue;
                }
                throw new EnvironmentException("receiving on the ICMP socket in " + ns.label() + " failed: "
                        + Namespaces.strerror(e), e);
            }
            boolean match = family == Family.V4 ? isEchoReply(buf, (int) n, src, id, seq)
                    : isEchoReply6(buf, (int) n, from, src, id, seq);
            if (match) {
                return System.nanoTime();
            }
            if (last) {
                // Drain what is queued: more than one packet may be waiting.
                last = false;
            }
        }
    }

    /** What the socket's receive queue dropped since it was opened (SO_MEMINFO), -1 when the kernel cannot say. */
    public long drops() {
        long now = readDrops();
        return now < 0 || dropsAtOpen < 0 ? -1 : now - dropsAtOpen;
    }

    private long readDrops() {
        byte[] info = new byte[4 * 9];
        int[] len = {info.length};
        try {
            LibC.getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, len);
        } catch (LastErrorException e) {
            return -1;
        }
        if (len[0] < 4 * (SK_MEMINFO_DROPS + 1)) {
            return -1;
        }
        int o = 4 * SK_MEMINFO_DROPS;
        return (info[o] & 0xffL) | (info[o + 1] & 0xffL) << 8 | (info[o + 2] & 0xffL) << 16 | (info[o + 3] & 0xffL) << 24;
    }

    static boolean isEchoReply(byte[] b, int n, IpAddress src, int id, int seq) {
        if (n < 28) {
            return false;
        }
        int ihl = (b[0] & 0xf) * 4;
        if (!IpAddress.of(b, 12, Family.V4).equals(src) || n < ihl + 8 || (b[ihl] & 0xff) != 0) {
            return false;
        }
        int rid = ((b[ihl + 4] & 0xff) << 8) | (b[ihl + 5] & 0xff);
        int rseq = ((b[ihl + 6] & 0xff) << 8) | (b[ihl + 7] & 0xff);
        return rid == id && rseq == seq;
    }

    /** An ICMPv6 socket receives the message alone; the sender is in the address (sockaddr_in6). */
    static boolean isEchoReply6(byte[] b, int n, byte[] from, IpAddress src, int id, int seq) {
        if (n < 8 || (b[0] & 0xff) != 129 || !IpAddress.of(from, 8, Family.V6).equals(src)) {
            return false;
        }
        int rid = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
        int rseq = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
        return rid == id && rseq == seq;
    }

    private void setTimeout(long nanos) {
        long us = Math.max(1000, nanos / 1000);
        byte[] tv = new byte[16];
        putLong(tv, 0, us / 1_000_000);
        putLong(tv, 8, us % 1_000_000);
        LibC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
