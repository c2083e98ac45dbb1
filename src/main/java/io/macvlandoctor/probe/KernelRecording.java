package io.macvlandoctor.probe;

import io.macvlandoctor.system.KernelTrace;

/**
 * What the kernel recorded during a round of probes, still in its trace instance: read only by a diagnosis that
 * needs it, skipped when the path passed (see {@link ProbeWindow}).
 */
public interface KernelRecording {
    /** The recording, read now (once; every later call gets the same). */
    KernelTrace.Recording read();

    /** Nothing needs it: the instance can go unread. */
    void skip();

    /** What is said of the trace whether or not it is read (tracefs unavailable, events this kernel lacks). */
    String note();

    /**
     * The same recording judged for several containers: one container's passing does not decide for the others
     * (whoever judges them all skips it at the end).
     */
    default KernelRecording shared() {
        KernelRecording whole = this;
        return new KernelRecording() {
            @Override
            public KernelTrace.Recording read() {
                return whole.read();
            }

            @Override
            public void skip() {
                // The others may still need it.
            }

            @Override
            public String note() {
                return whole.note();
            }
        };
    }
}
