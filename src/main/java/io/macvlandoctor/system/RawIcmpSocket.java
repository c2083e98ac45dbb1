package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Netns;

/**
 * A raw ICMP socket in one namespace: echo requests go through that namespace's kernel (its routing and its
 * choice of source address are what gets tested), and replies are seen after the kernel accepted them (after
 * rp_filter), which a capture on the interface cannot tell.
 */
public final class RawIcmpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_ICMP = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    private static final int SO_ATTACH_FILTER = 26;
    private final int fd;
    /** Kept reachable while the kernel holds a copy (it copies at setsockopt, but keep it simple and alive). */
    @SuppressWarnings("unused")
    private Memory filter;
    private final Netns ns;
    private boolean closed;

    private RawIcmpSocket(int fd, Netns ns) {
        this.fd = fd;
        this.ns = ns;
    }

    /**
     * A raw ICMP socket receives every ICMP packet of its namespace; under a flood its queue fills with strangers and
     * our reply is lost. A socket filter (as iputils ping installs) lets only echo replies with our id through.
     */
    public static RawIcmpSocket open(Netns ns, int echoId) {
        RawIcmpSocket s = open(ns);
        try {
            s.attachEchoReplyFilter(echoId);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void attachEchoReplyFilter(int id) {
        int[][] prog = {
            {0xb1, 0, 0, 0},        // ldx 4*([0]&0xf)   X = IP header length
            {0x50, 0, 0, 0},        // ldb [x+0]         ICMP type
            {0x15, 0, 3, 0},        // jeq #0 (echo reply), else drop
            {0x48, 0, 0, 4},        // ldh [x+4]         echo identifier
            {0x15, 0, 1, id},       // jeq #id, else drop
            {0x06, 0, 0, 0xffff},   // accept
            {0x06, 0, 0, 0},        // drop
        };
        Memory filter = new Memory(8L * prog.length);
        for (int i = 0; i < prog.length; i++) {
            filter.setShort(8L * i, (short) prog[i][0]);
            filter.setByte(8L * i + 2, (byte) prog[i][1]);
            filter.setByte(8L * i + 3, (byte) prog[i][2]);
            filter.setInt(8L * i + 4, prog[i][3]);
        }
        byte[] fprog = new byte[16]; // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        fprog[0] = (byte) prog.length;
        putLong(fprog, 8, Pointer.nativeValue(filter));
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, fprog.length);
        } catch (LastErrorException e) {
            throw new EnvironmentException("cannot filter the ICMP socket in " + ns.label() + ": "
                    + Namespaces.strerror(e), e);
        }
        // Packets queued before the filter was attached may be strangers: the id check in awaitEchoReply stays.
        this.filter = filter;
    }

    public static RawIcmpSocket open(Netns ns) {
        int fd = Namespaces.call(ns, () -> {
            try {
                return LibC.INSTANCE.socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
            } catch (LastErrorException e) {
                throw new EnvironmentException("cannot open a raw ICMP socket in " + ns.label() + ": "
                        + Namespaces.strerror(e) + (e.getErrorCode() == 1 ? " (needs CAP_NET_RAW)" : ""), e);
            }
        });
        return new RawIcmpSocket(fd, ns);
    }

    /** Sends an ICMP message (header and payload; the kernel adds the IP header) to dst. */
    public void send(int dst, byte[] icmp) {
        byte[] sa = new byte[16];
        sa[0] = AF_INET; // sa_family_t in host (little-endian) order
        sa[4] = (byte) (dst >>> 24);
        sa[5] = (byte) (dst >>> 16);
        sa[6] = (byte) (dst >>> 8);
        sa[7] = (byte) dst;
        try {
            LibC.INSTANCE.sendto(fd, icmp, icmp.length, 0, sa, sa.length);
        } catch (LastErrorException e) {
            // EHOSTUNREACH / ENETUNREACH: no route, or the neighbour could not be resolved: the probe fails,
            // which is a result, not an error.
        }
    }

    /**
     * Waits until deadline (System.nanoTime) for an echo reply from src with this id and seq; returns the time it
     * arrived (System.nanoTime) or -1.
     */
    public long awaitEchoReply(int src, int id, int seq, long deadline) throws InterruptedException {
        byte[] buf = new byte[1500];
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            // Short slices, so that an interrupt (Ctrl-C in the shell) is noticed within 50 ms.
            setTimeout(Math.min(left, 50_000_000L));
            long n;
            try {
                n = LibC.INSTANCE.recv(fd, buf, buf.length, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                    continue;
                }
                throw new EnvironmentException("receiving on the ICMP socket in " + ns.label() + " failed: "
                        + Namespaces.strerror(e), e);
            }
            if (isEchoReply(buf, (int) n, src, id, seq)) {
                return System.nanoTime();
            }
        }
    }

    static boolean isEchoReply(byte[] b, int n, int src, int id, int seq) {
        if (n < 28) {
            return false;
        }
        int ihl = (b[0] & 0xf) * 4;
        int from = ((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff);
        if (from != src || n < ihl + 8 || (b[ihl] & 0xff) != 0) {
            return false;
        }
        int rid = ((b[ihl + 4] & 0xff) << 8) | (b[ihl + 5] & 0xff);
        int rseq = ((b[ihl + 6] & 0xff) << 8) | (b[ihl + 7] & 0xff);
        return rid == id && rseq == seq;
    }

    private void setTimeout(long nanos) {
        long us = Math.max(1000, nanos / 1000);
        byte[] tv = new byte[16];
        putLong(tv, 0, us / 1_000_000);
        putLong(tv, 8, us % 1_000_000);
        LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length);
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
            LibC.INSTANCE.close(fd);
        }
    }
}
