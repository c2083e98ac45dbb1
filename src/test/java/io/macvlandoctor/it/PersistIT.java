package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * setup --persist, judged by the real readers: the ifupdown stanza brought up by ifup in a fresh lab, the unit
 * checked by systemd-analyze verify and its commands run in a fresh lab; verify passes on both; teardown removes
 * every file. (networkd and NetworkManager files are checked against golden files: PersistFormatsTest.)
 */
@RootOnly
class PersistIT {
    @TempDir
    Path dir;

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).toList();
        }
    }

    @Test
    void theFilesRecreateThePathInAFreshLabAndTeardownRemovesThem() throws IOException {
        Path r1 = Files.createDirectory(dir.resolve("r1"));
        Path r2 = Files.createDirectory(dir.resolve("r2"));
        try (TestLab a = TestLab.up("--ipv6")) {
            Cli.Result s1 = Cli.tool("setup", "--lab", a.name, "--persist", "ifupdown", "--persist-root", r1.toString());
            assertThat(s1.exit()).as(s1.toString()).isZero();
            assertThat(s1.out()).contains("persist: ifupdown (as asked)");
            Cli.Result s2 = Cli.tool("setup", "--lab", a.name, "--persist", "--persist-root", r2.toString());
            assertThat(s2.exit()).as(s2.toString()).isZero();
            assertThat(s2.out()).contains("persist: unit (detected: none of NetworkManager, systemd-networkd and "
                    + "ifupdown configures ens33)").contains("already there: macvlan0-host exists");
            Path stanza = r1.resolve("etc/network/interfaces.d/macvlan0-host");
            Path unit = r2.resolve("etc/systemd/system/macvlan-doctor-macvlan0-host.service");
            assertThat(stanza).exists();
            assertThat(unit).exists();
            assertThat(r2.resolve("etc/systemd/system/multi-user.target.wants/macvlan-doctor-macvlan0-host.service"))
                    .isSymbolicLink();

            try (TestLab b = TestLab.up("--ipv6")) {
                Cli.Result up = Cli.exec("ip", "netns", "exec", b.hostNs(), "ifup", "-i", stanza.toString(),
                        "--state-dir", Files.createDirectory(dir.resolve("ifstate")).toString(), "--no-scripts", "-a");
                assertThat(up.exit()).as(up.toString()).isZero();
                Cli.Result v = Cli.tool("verify", "--lab", b.name);
                assertThat(v.exit()).as("after ifup: " + v).isZero();
                assertThat(v.out()).contains("PASS  ipv6.container-to-host.ndp-proxy");
            }

            Cli.Result check = Cli.exec("systemd-analyze", "verify", unit.toString());
            assertThat(check.exit()).as(check.toString()).isZero();
            try (TestLab c = TestLab.up("--ipv6")) {
                List<String> exec = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart="))
                        .map(l -> l.substring("ExecStart=".length())).toList();
                assertThat(exec).isNotEmpty();
                for (String cmd : exec) {
                    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", c.hostNs()));
                    argv.addAll(List.of(cmd.split(" ")));
                    Cli.Result r = Cli.exec(argv.toArray(String[]::new));
                    assertThat(r.exit()).as(r.toString()).isZero();
                }
                Cli.Result v = Cli.tool("verify", "--lab", c.name);
                assertThat(v.exit()).as("after the unit's commands: " + v).isZero();
            }

            Cli.Result down = Cli.tool("teardown", "--lab", a.name);
            assertThat(down.exit()).as(down.toString()).isZero();
            assertThat(down.out()).contains("undone: write " + stanza);
            assertThat(files(r1)).isEmpty();
            assertThat(files(r2)).isEmpty();
        }
    }

    /** --dry-run prints every file with its text and writes nothing; networkd takes the parent's file as found. */
    @Test
    void dryRunPrintsTheFilesAndWritesNothing() throws IOException {
        Path r = Files.createDirectory(dir.resolve("r3"));
        Path parentFile = r.resolve("etc/systemd/network/10-uplink.network");
        Files.createDirectories(parentFile.getParent());
        Files.writeString(parentFile, "[Match]\nName=ens*\n\n[Network]\nDHCP=yes\n");
        try (TestLab a = TestLab.up()) {
            String before = a.hostState();
            Cli.Result s = Cli.tool("setup", "--lab", a.name, "--persist", "--persist-root", r.toString(),
                    "--dry-run");
            assertThat(s.exit()).as(s.toString()).isZero();
            assertThat(s.out()).contains("persist: networkd (detected: systemd-networkd configures ens33 "
                    + "(10-uplink.network))").contains("write " + r.resolve(
                            "etc/systemd/network/10-uplink.network.d/90-macvlan-doctor-macvlan0-host.conf"))
                    .contains("    | MACVLAN=macvlan0-host").contains("    | Kind=macvlan");
            assertThat(files(r)).containsExactlyInAnyOrder(r.resolve("etc"), r.resolve("etc/systemd"),
                    r.resolve("etc/systemd/network"), parentFile);
            assertThat(a.hostState()).isEqualTo(before);
        }
    }
}
