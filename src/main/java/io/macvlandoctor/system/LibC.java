package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The few libc calls the JDK does not offer: setns(2), raw sockets, mount(2). Kept package-private. Mapped directly
 * (native methods bound once) rather than through an interface: JNA serves an interface with a proxy class made at
 * run time and a reflective dispatch on every call, milliseconds at the start of every run.
 */
final class LibC {
    static {
        Native.register("c");
    }

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int MNT_DETACH = 2;

    private LibC() {
    }

    /** Binds the calls (class initialisation), on whichever thread asks first. */
    static void load() {
        // The static initialiser did it.
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen)
            throws LastErrorException;

    static native long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, int[] addrLen)
            throws LastErrorException;

    static native int setsockopt(int fd, int level, int optName, byte[] optVal, int optLen) throws LastErrorException;

    static native int getsockopt(int fd, int level, int optName, byte[] optVal, int[] optLen)
            throws LastErrorException;

    static native int if_nametoindex(String name) throws LastErrorException;

    static native int ioctl(int fd, long request, com.sun.jna.Pointer arg) throws LastErrorException;

    static native int mount(String source, String target, String fsType, long flags, String data)
            throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;
}
