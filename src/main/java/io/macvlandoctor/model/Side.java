package io.macvlandoctor.model;

/** The two ends of the path: whose namespace a rule, an entry or a setting is in. */
public enum Side {
    HOST("host"), CONTAINER("container");

    private final String id;

    Side(String id) {
        this.id = id;
    }

    /** "host" or "container", as facts files and reports write it. */
    public String id() {
        return id;
    }

    /** The side of this id; null for anything else. */
    public static Side of(String id) {
        for (Side s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
