package io.macvlandoctor.cli;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as the contract (docs/design.md) writes them (see Durations), for picocli options. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return Durations.parse(value);
        } catch (UsageException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
