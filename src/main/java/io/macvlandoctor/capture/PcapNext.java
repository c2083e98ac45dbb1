package io.macvlandoctor.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * libpcap's pcap_next_ex called directly on a pcap4j handle's pcap_t, by one reader thread. pcap4j's own read
 * allocates two native pointers per call, each registered under the lock of JNA's one global cleaner, and throws an
 * exception for every empty poll of a non-blocking handle: with a hundred readers polling (many containers), that
 * lock and those exceptions took most of the run's CPU. Here the two result pointers are allocated once. The
 * handle stays pcap4j's: opened, filtered, counted and closed through it, and closed only after its reader ended.
 */
final class PcapNext {
    static final int FRAME = 1;
    static final int NONE = 0;
    /** A capture file's end (never for a live handle); -1 is an error. */
    static final int END = -2;

    private static final Field HANDLE;

    static {
        Native.register(PcapNext.class, NativeLibrary.getInstance(System.getProperty(Libpcap.PROPERTY, "pcap")));
        try {
            HANDLE = PcapHandle.class.getDeclaredField("handle");
            HANDLE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    private final Pointer pcap;
    /** Where libpcap writes the two pointers: to the record header, and to the frame. */
    private final Memory out = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer dataOut = out.share(Native.POINTER_SIZE);
    private Pointer header;

    PcapNext(PcapHandle h) {
        try {
            pcap = (Pointer) HANDLE.get(h);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame: FRAME (then {@link #timeNs}, {@link #frame}, {@link #originalLength}), NONE, END or -1. */
    int next() {
        int rc = pcap_next_ex(pcap, out, dataOut);
        header = rc == FRAME ? out.getPointer(0) : null;
        return rc;
    }

    /**
     * struct pcap_pkthdr: a timeval of two longs (seconds, and nanoseconds at the handle's precision), then caplen
     * and len.
     */
    long timeNs() {
        return header.getNativeLong(0).longValue() * 1_000_000_000L + header.getNativeLong(NativeLong.SIZE).longValue();
    }

    byte[] frame() {
        return out.getPointer(Native.POINTER_SIZE).getByteArray(0, header.getInt(2L * NativeLong.SIZE));
    }

    int originalLength() {
        return header.getInt(2L * NativeLong.SIZE + 4);
    }
}
