package io.macvlandoctor.probe;

import io.macvlandoctor.system.KernelTrace;

/**
 * What the kernel recorded during a round of probes, parsed only by a diagnosis that needs it (see
 * {@link ProbeWindow}).
 */
public interface KernelRecording {
    /** The recording, parsed now (once; every later call gets the same). */
    KernelTrace.Recording read();

    /** What is said of the trace whether or not it is read (tracefs unavailable, events lost or missing). */
    String note();
}
