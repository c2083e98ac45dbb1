package io.macvlandoctor.model;

/** An address family, as reports and options name it ("4", "6"). */
public enum Family {
    V4("4", "IPv4", 32),
    V6("6", "IPv6", 128);

    private final String id;
    private final String label;
    private final int bits;

    Family(String id, String label, int bits) {
        this.id = id;
        this.label = label;
        this.bits = bits;
    }

    /** "4" or "6" (JSON "family", --family). */
    public String id() {
        return id;
    }

    /** "IPv4" or "IPv6". */
    public String label() {
        return label;
    }

    public int bits() {
        return bits;
    }

    public int bytes() {
        return bits / 8;
    }

    /** The option -4 or -6 of iproute2. */
    public String ipOption() {
        return "-" + id;
    }

    /** The families a map has entries for, in order (IPv4 first). */
    public static java.util.List<Family> presentIn(java.util.Map<Family, ?> m) {
        return java.util.Arrays.stream(values()).filter(m::containsKey).toList();
    }
}
