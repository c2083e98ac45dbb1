package io.macvlandoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    @Test
    void readsTheDocumentedForms() {
        assertThat(DurationConverter.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(DurationConverter.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(DurationConverter.parse("2.5s")).isEqualTo(Duration.ofMillis(2500));
        assertThat(DurationConverter.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void refusesOthers() {
        for (String bad : new String[] {"", "300", "1 s", "-1s", "0ms", "2h", "1.s", "5000m"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }
}
