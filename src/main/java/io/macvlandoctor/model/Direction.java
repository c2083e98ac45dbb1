package io.macvlandoctor.model;

/** Whether a capture point saw a frame arrive or leave. UNKNOWN only for captures that do not say. */
public enum Direction {
    IN("ingress"), OUT("egress"), UNKNOWN("unknown");

    private final String word;

    Direction(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
