package io.macvlandoctor.rules;

/** The stages of the diagnosis, in the order the loop runs them (see Diagnoser). */
public enum Stage {
    /** The ends of the path: with either one down nothing else can be judged; they also explain an unproven run. */
    ENDS(false, true),
    /** How Docker made the container's interface: nothing else can be judged either. */
    DOCKER(false, true),
    /** The shim: on another parent, missing, not in bridge mode, down. */
    SHIM(false, false),
    /** Per failed family, with a usable shim: where the host's route lookup sends the container's address. */
    ROUTE(true, false),
    /** Per failed family, with a usable shim: how the host (and the container) treat each other's frames. */
    SETTINGS(true, false),
    /** Per failed family: what drops the probes (netfilter, ICMP settings) and who else answers for them. */
    FILTERS(true, false),
    /** Per failed family that nothing above explained. */
    FALLBACK(true, false),
    /** Per family whose path to the LAN failed: the parent (Wi-Fi, a bond, a virtual NIC) and what lies beyond. */
    LAN(true, false);

    private final boolean perFamily;
    private final boolean final_;

    Stage(boolean perFamily, boolean stopsWhenFound) {
        this.perFamily = perFamily;
        this.final_ = stopsWhenFound;
    }

    /** Run once per failed family rather than once for the host. */
    public boolean perFamily() {
        return perFamily;
    }

    /** A cause found here explains everything: the later stages are not run. */
    public boolean stopsWhenFound() {
        return final_;
    }

    /** Rules of this stage look at the shim's treatment of frames: they need a bridge-mode shim that is up. */
    public boolean needsUsableShim() {
        return this == ROUTE || this == SETTINGS;
    }
}
