package io.macvlandoctor.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as DESIGN §4 writes them: 300ms, 1s, 2.5s (and 1m). */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new TypeConversionException("invalid duration '" + value + "' (write it like 300ms, 1s or 2.5s)");
        }
        double n = Double.parseDouble(m.group(1));
        double ms = switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        };
        if (ms < 1 || ms > 3_600_000) {
            throw new TypeConversionException("duration '" + value + "' out of range (1ms to 1h)");
        }
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }
}
