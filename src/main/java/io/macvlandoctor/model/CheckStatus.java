package io.macvlandoctor.model;

/**
 * The status of a check. UNPROVEN: it applies, but the frames of the run cannot show it either way (nothing of the
 * exchange captured, a point missing or lost, kernel drops, a fact not given); NOT_APPLICABLE: there is nothing to
 * judge (the path already worked before setup).
 */
public enum CheckStatus {
    PASS("pass", "PASS"), FAIL("fail", "FAIL"), UNPROVEN("skip", "SKIP"), NOT_APPLICABLE("skip", "N/A");

    private final String id;
    private final String word;

    CheckStatus(String id, String word) {
        this.id = id;
        this.word = word;
    }

    /** JSON "status": pass, fail or skip (an unproven check is a skip, and says so in "unproven"). */
    public String id() {
        return id;
    }

    /** The text report's word. */
    public String word() {
        return word;
    }
}
