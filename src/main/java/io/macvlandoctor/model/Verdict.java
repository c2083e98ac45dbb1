package io.macvlandoctor.model;

import java.util.Locale;

/**
 * The verdict of a run: pass when every applicable check passed on frame evidence, fail when a check failed (or a
 * Docker-level cause left nothing to probe), inconclusive when nothing failed but something could not be proven.
 * Declared from best to worst.
 */
public enum Verdict {
    PASS, INCONCLUSIVE, FAIL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two: fail over inconclusive over pass. */
    public Verdict worst(Verdict o) {
        return ordinal() >= o.ordinal() ? this : o;
    }
}
