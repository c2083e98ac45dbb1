package io.macvlandoctor.model;

import java.util.Locale;

/** The status of a check, as JSON and JUnit write it. */
public enum CheckStatus {
    PASS, FAIL, SKIP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
