package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ladders of the recorded captures: one lane per point, one arrow per frame from its sender to its receiver
 * with the dot where it was seen, the stop of an unanswered exchange; and the terminal's drawing of them, in
 * Unicode and in ASCII, against golden text (src/test/resources/ladder; -Dmvd.writeGoldens=true writes them anew).
 */
class LadderTest {
    static final Path GOLDEN = Path.of("src/test/resources/ladder");

    static Stream<String> captures() {
        return Recorded.names().stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyFrameIsAnArrowAndEveryPointALane(String name) {
        Report r = ReportRenderersTest.report(name);
        Phase p = r.phases().get(0);
        List<CapturePoint> points = p.stats().stream().map(CaptureStats::point).distinct().toList();
        for (Phase.Labelled l : p.exchanges()) {
            if (l.exchange() == null) {
                continue;
            }
            Ladder ladder = Ladder.of(l.exchange(), points, r.topology(), r.checks());
            int frames = l.exchange().requests().size() + l.exchange().replies().size();
            assertThat(ladder.arrows()).as(l.label()).hasSize(frames);
            assertThat(ladder.lanes().stream().filter(x -> !x.virtual()).map(Ladder.Lane::name))
                    .containsExactlyInAnyOrderElementsOf(points.stream().map(CapturePoint::name).toList());
            long previous = -1;
            for (Ladder.Arrow a : ladder.arrows()) {
                assertThat(ladder.lanes().get(a.at()).name()).isEqualTo(a.frame().point().name());
                assertThat(a.at()).as("seen at one end").isIn(a.from(), a.to());
                assertThat(a.offsetNs()).isGreaterThanOrEqualTo(previous);
                previous = a.offsetNs();
            }
            assertThat(ladder.stop() != Ladder.NONE).as(l.label()).isEqualTo(l.exchange().replies().isEmpty());
        }
    }

    /** The frames a failed check holds as evidence are the ladder's failed arrows, and no others. */
    @Test
    void aFailedChecksFramesAreMarked() {
        Report r = ReportRenderersTest.report("no-route");
        List<Frame> failed = new ArrayList<>();
        r.checks().stream().filter(c -> c.status() == io.macvlandoctor.model.CheckStatus.FAIL)
                .forEach(c -> failed.addAll(c.evidence()));
        assertThat(failed).isNotEmpty();
        Phase p = r.phases().get(0);
        List<CapturePoint> points = p.stats().stream().map(CaptureStats::point).distinct().toList();
        int marked = 0;
        for (Phase.Labelled l : p.exchanges()) {
            if (l.exchange() != null) {
                for (Ladder.Arrow a : Ladder.of(l.exchange(), points, r.topology(), r.checks()).arrows()) {
                    boolean isFailed = failed.stream().anyMatch(f -> f == a.frame());
                    assertThat(a.mark() == Ladder.Mark.FAILED).isEqualTo(isFailed);
                    marked += isFailed ? 1 : 0;
                }
            }
        }
        assertThat(marked).isPositive();
    }

    @Test
    void theTerminalLaddersAreTheGoldenOnes() throws IOException {
        for (String name : List.of("healthy", "no-route", "dual-stack", "shim-mode-private")) {
            for (Map.Entry<String, Style> style : Map.of("unicode", Style.PLAIN.withUnicode(true), "ascii",
                    Style.PLAIN).entrySet()) {
                String text = ReportRenderersTest.render(ReportRenderersTest.report(name),
                        (r, w) -> TextReport.write(r, w, style.getValue()));
                String ladders = String.join("\n", text.lines().dropWhile(x -> !x.startsWith("== "))
                        .takeWhile(x -> !x.startsWith("checks:")).toList()).strip() + "\n";
                Path golden = GOLDEN.resolve(name + "." + style.getKey() + ".txt");
                if (Boolean.getBoolean("mvd.writeGoldens")) {
                    Files.writeString(golden, ladders, StandardCharsets.UTF_8);
                }
                assertThat(ladders).as(golden.toString()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void asciiHasNothingButAscii() {
        String text = ReportRenderersTest.render(ReportRenderersTest.report("dual-stack"),
                (r, w) -> TextReport.write(r, w, Style.PLAIN));
        assertThat(text.chars().filter(c -> c > 126 && c != 'µ')).as("non-ASCII characters").isEmpty();
        String colour = ReportRenderersTest.render(ReportRenderersTest.report("no-route"),
                (r, w) -> TextReport.write(r, w, Style.COLOUR.withUnicode(true)));
        assertThat(colour).as("a failed check's arrow in red").contains("\u001b[31m");
    }

    @Test
    void theLocaleDecidesUnicode() {
        assertThat(Style.utf8Locale(Map.of("LANG", "en_US.UTF-8"))).isTrue();
        assertThat(Style.utf8Locale(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8"))).isFalse();
        assertThat(Style.utf8Locale(Map.of("LC_CTYPE", "de_DE.utf8"))).isTrue();
        assertThat(Style.utf8Locale(Map.of())).isFalse();
        assertThat(Style.utf8Locale(Map.of("LANG", "POSIX"))).isFalse();
    }
}
