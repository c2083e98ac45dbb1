package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few libc calls the JDK does not offer: setns(2), raw sockets, mount(2). Kept package-private. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

    long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, int[] addrLen) throws LastErrorException;

    int setsockopt(int fd, int level, int optName, byte[] optVal, int optLen) throws LastErrorException;

    int getsockopt(int fd, int level, int optName, byte[] optVal, int[] optLen) throws LastErrorException;

    int if_nametoindex(String name) throws LastErrorException;

    int ioctl(int fd, long request, com.sun.jna.Pointer arg) throws LastErrorException;

    int MNT_DETACH = 2;

    int mount(String source, String target, String fsType, long flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;
}
