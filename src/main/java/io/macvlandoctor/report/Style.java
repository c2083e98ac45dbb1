package io.macvlandoctor.report;

import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Verdict;

/**
 * How statuses, verdicts and ladders are written: plain words, or with ANSI colours on a terminal (pass green, fail
 * red, unproven and inconclusive yellow); ladders in Unicode box-drawing where the locale is UTF-8, else in ASCII.
 * The words are the same either way, so a script that greps them is not affected.
 */
public final class Style {
    public static final Style PLAIN = new Style(false, false);
    public static final Style COLOUR = new Style(true, false);

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final boolean colour;
    private final boolean unicode;

    private Style(boolean colour, boolean unicode) {
        this.colour = colour;
        this.unicode = unicode;
    }

    public boolean colour() {
        return colour;
    }

    /** Whether ladders are drawn with box-drawing characters (else ASCII). */
    public boolean unicode() {
        return unicode;
    }

    public Style withUnicode(boolean u) {
        return new Style(colour, u);
    }

    /**
     * Whether the locale says UTF-8 (LC_ALL, else LC_CTYPE, else LANG, as the C library decides): where it does
     * not, box-drawing characters would come out as question marks.
     */
    public static boolean utf8Locale(java.util.Map<String, String> env) {
        for (String k : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }

    /** Red, for the arrows of a failed check. */
    String failed(String text) {
        return paint(RED, text);
    }

    /** Bold, for the arrows that are a check's evidence. */
    String evidence(String text) {
        return paint("\u001b[1m", text);
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
