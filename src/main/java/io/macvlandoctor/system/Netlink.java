package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import io.macvlandoctor.EnvironmentException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A NETLINK_ROUTE socket of the calling thread's network namespace: requests and dumps, answered as messages with
 * their attributes. What `ip` does for reads, without a process per read. Open it on a thread inside the namespace
 * (Namespaces.call); a socket stays in the namespace it was created in.
 */
final class Netlink implements AutoCloseable {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int HEADER = 16;

    /** One message: its type, the fixed header that follows nlmsghdr, and its attributes by type. */
    record Message(int type, ByteBuffer body, Map<Integer, ByteBuffer> attrs) {
        int u8(int offset) {
            return body.get(offset) & 0xff;
        }

        int u16(int offset) {
            return body.getShort(offset) & 0xffff;
        }

        int s32(int offset) {
            return body.getInt(offset);
        }
    }

    private final int fd;
    private int seq = (int) (System.nanoTime() & 0x7fffffff);
    /** A dump comes in parts of a few pages each: a socket per read, so a small buffer each. */
    private final byte[] buf = new byte[64 << 10];

    Netlink() {
        try {
            fd = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new EnvironmentException("cannot open a netlink socket (errno " + e.getErrorCode() + ")");
        }
    }

    /** A request message: nlmsghdr, then the fixed header and the attributes the caller wrote. */
    static ByteBuffer request(int type, int flags, int fixedLength) {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
        for (int i = 0; i < fixedLength; i++) {
            b.put((byte) 0);
        }
        return b;
    }

    /** Appends an attribute (aligned to four bytes). */
    static void attr(ByteBuffer b, int type, byte[] value) {
        int len = 4 + value.length;
        b.putShort((short) len).putShort((short) type).put(value);
        for (int i = len; i % 4 != 0; i++) {
            b.put((byte) 0);
        }
    }

    /** Sends a request and collects the answer: every message of a dump, or the one reply (or ack). */
    List<Message> exchange(ByteBuffer req, int fixedLengthOfReplies) {
        int mySeq = ++seq;
        int len = req.position();
        req.putInt(0, len);
        req.putInt(8, mySeq);
        byte[] addr = new byte[12];
        addr[0] = (byte) AF_NETLINK;
        try {
            LibC.sendto(fd, java.util.Arrays.copyOf(req.array(), len), len, 0, addr, addr.length);
        } catch (LastErrorException e) {
            throw new EnvironmentException("netlink request failed (errno " + e.getErrorCode() + ")");
        }
        boolean dump = (req.getShort(6) & NLM_F_DUMP) == NLM_F_DUMP;
        List<Message> out = new ArrayList<>();
        while (true) {
            long n;
            try {
                n = LibC.recvfrom(fd, buf, buf.length, 0, null, null);
            } catch (LastErrorException e) {
                throw new EnvironmentException("netlink receive failed (errno " + e.getErrorCode() + ")");
            }
            ByteBuffer in = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            int at = 0;
            while (at + HEADER <= n) {
                int mlen = in.getInt(at);
                int type = in.getShort(at + 4) & 0xffff;
                int mseq = in.getInt(at + 8);
                if (mlen < HEADER || at + mlen > n) {
                    throw new EnvironmentException("a netlink message is cut off");
                }
                if (mseq == mySeq) {
                    if (type == NLMSG_DONE) {
                        return out;
                    }
                    if (type == NLMSG_ERROR) {
                        int err = in.getInt(at + HEADER);
                        if (err == 0) {
                            return out;
                        }
                        throw new Refused(-err);
                    }
                    ByteBuffer body = ByteBuffer.wrap(buf, at + HEADER, mlen - HEADER).slice()
                            .order(ByteOrder.nativeOrder());
                    ByteBuffer copy = ByteBuffer.allocate(body.remaining()).order(ByteOrder.nativeOrder());
                    copy.put(body).flip();
                    out.add(new Message(type, copy, attrs(copy, Math.min(fixedLengthOfReplies, copy.limit()))));
                    if (!dump) {
                        return out;
                    }
                }
                at += align(mlen);
            }
        }
    }

    /** The attributes from offset on, by type (the nested flag masked off). */
    static Map<Integer, ByteBuffer> attrs(ByteBuffer b, int offset) {
        Map<Integer, ByteBuffer> m = new HashMap<>();
        int at = offset;
        while (at + 4 <= b.limit()) {
            int len = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & 0x3fff;
            if (len < 4 || at + len > b.limit()) {
                break;
            }
            m.putIfAbsent(type, b.duplicate().position(at + 4).limit(at + len).slice().order(ByteOrder.nativeOrder()));
            at += align(len);
        }
        return m;
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    static String string(ByteBuffer v) {
        int end = 0;
        while (end < v.limit() && v.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end];
        v.get(0, s);
        return new String(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer v) {
        byte[] b = new byte[v.limit()];
        v.get(0, b);
        return b;
    }

    @Override
    public void close() {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // Closing a socket we opened: nothing to do about a failure.
        }
    }

    /** The kernel refused a request: its errno. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        Refused(int errno) {
            super("netlink error " + errno);
            this.errno = errno;
        }
    }
}
