package io.macvlandoctor.model;

/**
 * What the probing sockets saw, beyond the frames: whether the echo replies reached the sending stack (a
 * reply can be captured on an interface and still be dropped by the kernel, e.g. by rp_filter).
 * Null fields mean "not known" (offline analysis).
 */
public record ProbeOutcome(Boolean hostGotReply, Boolean containerGotReply) {
    public static final ProbeOutcome UNKNOWN = new ProbeOutcome(null, null);
}
