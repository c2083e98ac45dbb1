package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Recorded;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML reports in a real browser: Chromium (Debian's), headless, in a network namespace of its own with nothing
 * but loopback (a browser must not reach out from a test). Every recorded lab state (analyze --report-html) and live
 * runs of the healthy lab, a broken one and ten containers: each page loads without a console message, its DOM
 * holds the ladders as written (an SVG per exchange, its lanes and one arrow per frame), and the healthy and the
 * broken live pages are kept as screenshots in target/html-screenshots.
 */
@RootOnly
@Order(LongestFirst.CHROMIUM)
class HtmlChromiumIT {
    private static final String NS = "mvd-html-" + ProcessHandle.current().pid();
    private static final Path SHOTS = Path.of("target", "html-screenshots");
    private static final Pattern ARROW = Pattern.compile("<g class=\"arrow ");
    private static final Pattern SVG = Pattern.compile("<svg class=\"ladder\"[^>]*data-lanes=\"(\\d+)\" "
            + "data-arrows=\"(\\d+)\"");

    @TempDir
    Path dir;

    @BeforeAll
    static void browserNamespace() throws IOException {
        assertThat(Cli.exec("ip", "netns", "add", NS).exit()).isZero();
        assertThat(Cli.exec("ip", "-n", NS, "link", "set", "lo", "up").exit()).isZero();
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void removeIt() {
        Cli.exec("ip", "netns", "del", NS);
    }

    /** What the browser made of a page: its DOM after loading, and what it said on its console. */
    record Loaded(String dom, List<String> console) {
    }

    static Loaded load(Path html, Path screenshot) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", NS, "chromium", "--headless",
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--enable-logging=stderr", "--v=0", "--window-size=1280,2400"));
        argv.add(screenshot == null ? "--dump-dom" : "--screenshot=" + screenshot.toAbsolutePath());
        argv.add(html.toUri().toString());
        Cli.Result r = Cli.exec(argv.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> console = r.err().lines().filter(l -> l.contains("CONSOLE")).toList();
        return new Loaded(r.out(), console);
    }

    /** The ladders of a page: data-lanes and data-arrows of each SVG, and the arrows actually drawn. */
    static List<int[]> ladders(String text) {
        List<int[]> out = new ArrayList<>();
        String[] parts = text.split("<svg class=\"ladder\"");
        for (int i = 1; i < parts.length; i++) {
            Matcher m = SVG.matcher("<svg class=\"ladder\"" + parts[i]);
            assertThat(m.find()).isTrue();
            String body = parts[i].substring(0, parts[i].indexOf("</svg>"));
            out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                (int) ARROW.matcher(body).results().count(), (int) Pattern.compile("<g class=\"lane").matcher(body)
                    .results().count()});
        }
        return out;
    }

    static void assertRendered(Path html, Loaded l) throws IOException {
        assertThat(l.console()).as(html + ": console").isEmpty();
        List<int[]> written = ladders(Files.readString(html));
        List<int[]> shown = ladders(l.dom());
        assertThat(written).as(html + ": ladders").isNotEmpty();
        assertThat(shown).as(html + ": the browser's DOM").hasSameSizeAs(written);
        for (int i = 0; i < written.size(); i++) {
            assertThat(shown.get(i)[2]).as("one arrow per frame").isEqualTo(written.get(i)[1]).isPositive();
            assertThat(shown.get(i)[3]).as("one lane per point").isEqualTo(written.get(i)[0]);
        }
    }

    @Test
    void everyRecordedLabStateOpensWithItsLadders() throws Exception {
        List<String> names = Recorded.names();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> done = new ArrayList<>();
            for (String name : names) {
                done.add(pool.submit(() -> {
                    Path html = dir.resolve(name + ".html");
                    Cli.Result a = Cli.tool("analyze", "--capture", "captures/" + name + ".pcapng", "--report-html",
                            html.toString());
                    assertThat(a.exit()).as(a.toString()).isIn(0, 1);
                    assertRendered(html, load(html, null));
                    return html;
                }));
            }
            for (Future<Path> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void liveRunsOfTheHealthyAndTheBrokenLabAndTenContainers() throws Exception {
        for (String[] lab : new String[][] {{"healthy", "--fixed"}, {"broken", "--fault", "no-route"}}) {
            try (TestLab l = TestLab.up(java.util.Arrays.copyOfRange(lab, 1, lab.length))) {
                Path html = dir.resolve(lab[0] + ".html");
                Cli.Result r = Cli.tool("verify", "--lab", l.name, "--report-html", html.toString());
                assertThat(r.exit()).as(r.toString()).isEqualTo(lab[0].equals("healthy") ? 0 : 1);
                assertRendered(html, load(html, null));
                Path shot = SHOTS.resolve(lab[0] + ".png");
                Files.deleteIfExists(shot);
                assertThat(load(html, shot).console()).isEmpty();
                assertPicture(shot);
            }
        }
        try (TestLab l = TestLab.up("--fixed", "--containers", "10", "--container-ip", "192.168.136.60")) {
            Path html = dir.resolve("ten.html");
            Cli.Result r = Cli.tool("verify", "--lab", l.name, "--report-html", html.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            String text = Files.readString(html);
            assertThat(text).contains("<h2>10 containers</h2>");
            assertThat(text.split("<section class=\"report\"", -1)).hasSize(11);
            assertRendered(html, load(html, null));
        }
    }

    /** A screenshot that shows something: not blank, many colours (text, lanes, arrows). */
    static void assertPicture(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as(png.toString()).isNotNull();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as(png + ": distinct colours").isGreaterThan(20);
    }
}
