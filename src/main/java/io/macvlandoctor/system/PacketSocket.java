package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Netns;

/**
 * A packet socket that only sends (protocol 0: it receives nothing), bound to one interface of a namespace: frames
 * injected through it are seen by the capture handles of that interface as outgoing, which frames sent through a
 * capture handle itself are not (the kernel does not hand a socket its own frames).
 */
public final class PacketSocket implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final int fd;
    /** Set by close: a send after it would write to whatever file now has the number. */
    private boolean closed;
    private final byte[] addr;

    private PacketSocket(int fd, int ifindex) {
        this.fd = fd;
        // struct sockaddr_ll: family, protocol (unused for sending), ifindex, hatype, pkttype, halen, addr[8]
        addr = new byte[20];
        addr[0] = (byte) AF_PACKET;
        java.nio.ByteBuffer.wrap(addr).order(java.nio.ByteOrder.nativeOrder()).putInt(4, ifindex);
    }

    public static PacketSocket open(Netns ns, String iface) {
        return Namespaces.call(ns, () -> {
            int index;
            try {
                index = LibC.if_nametoindex(iface);
            } catch (LastErrorException e) {
                throw new EnvironmentException("no interface " + iface + " in " + ns.label(), e);
            }
            try {
                return new PacketSocket(LibC.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), index);
            } catch (LastErrorException e) {
                throw new EnvironmentException("cannot open a packet socket in " + ns.label() + ": "
                        + Namespaces.strerror(e), e);
            }
        });
    }

    /** Sends one whole Ethernet frame; false when the kernel refused it (the interface is down or gone). */
    public boolean send(byte[] frame) {
        try {
            return LibC.sendto(fd, frame, frame.length, 0, addr, addr.length) == frame.length;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** As send, under the socket's lock; null when it is closed already. */
    public synchronized Boolean sendUnlessClosed(byte[] frame) {
        return closed ? null : send(frame);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // A socket of ours: nothing to do about it.
        }
    }
}
