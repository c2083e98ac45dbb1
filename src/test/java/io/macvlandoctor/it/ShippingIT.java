package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the command line meets besides the report: pipes (pcapng to tshark, captures from stdin),
 * colours on a terminal only, -q, and the launcher's choice of Java runtime, with no warning on any of them.
 */
@RootOnly
class ShippingIT {
    private static final String ESC = "\u001b[";

    @TempDir
    Path dir;

    /** The clone's launcher with the given environment, through bash so that pipes work. */
    static Cli.Result shell(String script) {
        return Cli.exec("bash", "-o", "pipefail", "-c", script);
    }

    static String launcher() {
        return Path.of("macvlan-doctor").toAbsolutePath().toString();
    }

    @Test
    void pcapngToStdoutIsReadWholeByTshark() {
        try (TestLab lab = TestLab.up("--fixed")) {
            Path err = dir.resolve("err.txt");
            Cli.Result r = shell("java -jar " + Cli.jar() + " verify --lab " + lab.name + " --pcapng - 2>" + err
                    + " | tshark -r - -T fields -e frame.number -e frame.interface_name");
            assertThat(r.exit()).as(r.toString()).isZero();
            String report;
            try {
                report = Files.readString(err);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            // The text report went to stderr, and says how many frames the capture kept.
            assertThat(report).contains("verdict: PASS");
            Matcher m = Pattern.compile("capture: \\d+ points, (\\d+) frames").matcher(report);
            assertThat(m.find()).as(report).isTrue();
            assertThat(r.out().lines().count()).isEqualTo(Long.parseLong(m.group(1)));
            assertThat(r.out()).contains("host:macvlan0-host").contains("container:eth0");
        }
    }

    @Test
    void analyzeReadsCapturesFromAPipe() throws Exception {
        Cli.Result ours = shell("cat captures/route-mismatch.pcapng | java -jar " + Cli.jar() + " analyze --capture -");
        assertThat(ours.exit()).as(ours.toString()).isEqualTo(1);
        assertThat(ours.out()).contains("route-mismatch (IPv4)");
        try (TestLab lab = TestLab.up("--fixed")) {
            Path facts = dir.resolve("facts.json");
            assertThat(Cli.tool("facts", "--lab", lab.name, "--output", facts.toString()).exit()).isZero();
            Path pcap = dir.resolve("p.pcap");
            Process p = Capture.tcpdump(lab.hostNs(), "macvlan0-host", pcap);
            try {
                lab.flushNeighbours();
                assertThat(lab.hostPingsContainer()).isTrue();
            } finally {
                Capture.stop(p);
            }
            Cli.Result r = shell("cat " + pcap + " | java -jar " + Cli.jar() + " analyze --capture shim=- --facts "
                    + facts);
            assertThat(r.out()).as(r.toString()).contains("PASS  host-to-container.icmp")
                    .contains("PASS  host-to-container.src-mac-is-shim");
        }
    }

    @Test
    void coloursOnATerminalOnlyAndQuiet() {
        try (TestLab lab = TestLab.up("--fixed")) {
            String cmd = "java -jar " + Cli.jar() + " verify --lab " + lab.name;
            // script(1) gives the tool a pseudo-terminal, as a person's shell would.
            Cli.Result tty = Cli.exec("script", "-qec", cmd, "/dev/null");
            assertThat(tty.exit()).as(tty.toString()).isZero();
            assertThat(tty.out()).contains(ESC + "32mPASS");
            Cli.Result noColor = Cli.exec("env", "NO_COLOR=1", "script", "-qec", cmd, "/dev/null");
            assertThat(noColor.out()).contains("PASS").doesNotContain(ESC);
            Cli.Result never = Cli.exec("script", "-qec", cmd + " --color never", "/dev/null");
            assertThat(never.out()).doesNotContain(ESC);
            Cli.Result piped = Cli.tool("verify", "--lab", lab.name);
            assertThat(piped.out()).doesNotContain(ESC);
            Cli.Result always = Cli.tool("verify", "--lab", lab.name, "--color", "always");
            assertThat(always.out()).contains(ESC + "32mPASS");
            Cli.Result quiet = Cli.tool("verify", "--lab", lab.name, "-q");
            assertThat(quiet.out().strip()).isEqualTo("verdict: PASS");
        }
        try (TestLab lab = TestLab.up("--fault", "no-route")) {
            Cli.Result quiet = Cli.tool("verify", "--lab", lab.name, "-q", "--color", "always");
            assertThat(quiet.exit()).isEqualTo(1);
            assertThat(quiet.out().strip()).isEqualTo("verdict: " + ESC + "31mFAIL" + ESC + "0m");
        }
    }

    /** Every installed runtime >= 17 (at least the oldest and the newest) runs a verify with nothing on stderr. */
    @Test
    void theLauncherRunsOnEveryInstalledJdkWithoutWarnings() throws Exception {
        List<Path> jdks = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
            s.filter(p -> Files.isExecutable(p.resolve("bin/java")) && major(p) >= 17 && !Files.isSymbolicLink(p))
                    .forEach(jdks::add);
        }
        assertThat(jdks).as("a JDK >= 17 in /usr/lib/jvm").isNotEmpty();
        jdks.sort(Comparator.comparingInt(ShippingIT::major));
        try (TestLab lab = TestLab.up("--fixed")) {
            for (Path jdk : List.of(jdks.get(0), jdks.get(jdks.size() - 1))) {
                Cli.Result v = Cli.exec("env", "MVD_JAVA=" + jdk.resolve("bin/java"), launcher(), "verify", "--lab",
                        lab.name, "-q");
                assertThat(v.exit()).as(jdk + ": " + v).isZero();
                assertThat(v.err()).as(jdk + ": stderr").isEmpty();
                Cli.Result version = Cli.exec("env", "MVD_JAVA=" + jdk.resolve("bin/java"), launcher(), "--version");
                assertThat(version.out()).contains("Java " + major(jdk) + ".");
            }
            // Without MVD_JAVA the launcher takes the newest.
            Cli.Result version = Cli.exec(launcher(), "--version");
            assertThat(version.out()).contains("Java " + major(jdks.get(jdks.size() - 1)) + ".");
        }
    }

    static int major(Path jdk) {
        try {
            for (String l : Files.readAllLines(jdk.resolve("release"))) {
                Matcher m = Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(l);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }
}
