package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the contract (docs/design.md) writes them: 300ms, 1s, 2.5s (and 1m), from 1 ms to 1 h. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)");

    private Durations() {
    }

    public static Duration parse(String value) {
        Matcher m = FORMAT.matcher(value == null ? "" : value);
        if (!m.matches()) {
            throw new UsageException("invalid duration '" + value + "' (write it like 300ms, 1s or 2.5s)");
        }
        double n = Double.parseDouble(m.group(1));
        double ms = switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        };
        if (ms < 1 || ms > 3_600_000) {
            throw new UsageException("duration '" + value + "' out of range (1ms to 1h)");
        }
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }
}
