package org.pcap4j.core;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.pcap4j.core.NativeMappings.PcapErrbuf;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * Opens a live capture handle as PcapHandle.Builder does, in immediate mode with nanosecond stamps, but with the two
 * libpcap calls that pcap4j reaches through a JNA interface (pcap_set_tstamp_precision, pcap_set_immediate_mode)
 * bound directly: for an interface JNA generates a proxy class at run time, 5-8 ms before a run's first capture
 * opens. In pcap4j's package for its handle's constructor and its own direct bindings of the other calls; the handle
 * is pcap4j's from then on.
 */
public final class LiveHandle {
    static {
        Native.register(LiveHandle.class, NativeLibrary.getInstance(NativeMappings.PCAP_LIB_NAME));
    }

    private LiveHandle() {
    }

    /** Binds the calls (class initialisation), on whichever thread asks first. */
    public static void bind() {
        // The static initialiser did it.
    }

    private static native int pcap_set_tstamp_precision(Pointer p, int precision);

    private static native int pcap_set_immediate_mode(Pointer p, int immediate);

    /**
     * An activated handle on the device, or the error libpcap gives (the handle closed): pcap4j's own messages, which
     * name a device that is down or gone as libpcap does.
     */
    public static PcapHandle open(String device, int snaplen, PromiscuousMode promisc, int timeoutMillis,
                                  int bufferBytes, PcapDirection direction) throws PcapNativeException {
        PcapErrbuf errbuf = new PcapErrbuf();
        Pointer p = NativeMappings.pcap_create(device, errbuf);
        if (p == null || errbuf.length() != 0) {
            throw new PcapNativeException(errbuf.toString());
        }
        try {
            check(p, NativeMappings.pcap_set_snaplen(p, snaplen));
            check(p, NativeMappings.pcap_set_promisc(p, promisc.getValue()));
            check(p, NativeMappings.pcap_set_timeout(p, timeoutMillis));
            check(p, NativeMappings.pcap_set_buffer_size(p, bufferBytes));
            if (pcap_set_tstamp_precision(p, TimestampPrecision.NANO.getValue()) != 0) {
                // The frames' times are read as nanoseconds: a libpcap that cannot give them would give wrong times.
                throw new PcapNativeException("this libpcap cannot stamp frames in nanoseconds");
            }
            check(p, pcap_set_immediate_mode(p, 1));
            int rc = NativeMappings.pcap_activate(p);
            if (rc < 0) {
                throw new PcapNativeException(error(p), rc);
            }
            rc = NativeMappings.pcap_setdirection(p, direction.getValue());
            if (rc < 0) {
                throw new PcapNativeException("Failed to set direction: " + error(p), rc);
            }
            return new PcapHandle(p, TimestampPrecision.NANO);
        } catch (PcapNativeException | RuntimeException | Error e) {
            NativeMappings.pcap_close(p);
            throw e;
        }
    }

    private static void check(Pointer p, int rc) throws PcapNativeException {
        if (rc != 0) {
            throw new PcapNativeException(error(p), rc);
        }
    }

    private static String error(Pointer p) {
        return NativeMappings.pcap_geterr(p).getString(0);
    }
}
