package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;

/** What a rule is asked about when only frames are known: the topology the options gave, the coverage, one run. */
public record FramesCase(Topology t, Coverage cov, FamilyRun run) {
    /** The shim's name as captured, or the usual one. */
    public String shim() {
        return t.shim() == null || t.shim().name().startsWith("<") ? Target.DEFAULT_SHIM : t.shim().name();
    }

    public Topology.Addressing a() {
        return t.of(run.family());
    }

    /** "192.168.136.130", or "the host" when not known. */
    public String host() {
        return a().host() == null ? "the host" : a().host().toString();
    }
}
