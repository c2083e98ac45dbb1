package io.macvlandoctor.model;

/** The modes of a macvlan link, as iproute2 and the kernel name them. Only bridge-mode children of one parent meet. */
public enum MacvlanMode {
    BRIDGE("bridge"), PRIVATE("private"), VEPA("vepa"), PASSTHRU("passthru"), SOURCE("source");

    private final String id;

    MacvlanMode(String id) {
        this.id = id;
    }

    /** As `ip link add ... type macvlan mode ID` takes it. */
    public String id() {
        return id;
    }

    /** The mode of this name, or null. */
    public static MacvlanMode of(String id) {
        for (MacvlanMode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
