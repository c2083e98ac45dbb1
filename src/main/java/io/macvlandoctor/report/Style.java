package io.macvlandoctor.report;

import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Verdict;

/**
 * How statuses and verdicts are written: plain words, or with ANSI colours on a terminal (pass green, fail red,
 * unproven and inconclusive yellow). The words are the same either way, so a script that greps them is not affected.
 */
public final class Style {
    public static final Style PLAIN = new Style(false);
    public static final Style COLOUR = new Style(true);

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    public boolean colour() {
        return colour;
    }

    /** The status word padded to four columns, coloured. */
    public String status(CheckStatus s) {
        String w = String.format("%-4s", s.word());
        return switch (s) {
            case PASS -> paint(GREEN, w);
            case FAIL -> paint(RED, w);
            case UNPROVEN -> paint(YELLOW, w);
            case NOT_APPLICABLE -> paint(DIM, w);
        };
    }

    public String verdict(Verdict v) {
        String w = v.name();
        return switch (v) {
            case PASS -> paint(GREEN, w);
            case FAIL -> paint(RED, w);
            case INCONCLUSIVE -> paint(YELLOW, w);
        };
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
