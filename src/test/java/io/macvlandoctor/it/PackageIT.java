package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The Debian package, as a user gets it: built with scripts/package (lintian clean where lintian runs), installed
 * with dpkg -i, used from /usr/bin, the man pages, the completion and the Docker CLI plugin; purged afterwards.
 * One test: installing a package is a change to the machine's package database, done once and undone.
 */
@RootOnly
@Order(LongestFirst.PACKAGE)
@ResourceLock("dpkg")
class PackageIT {
    @TempDir
    Path dir;

    @Test
    void theInstalledPackageWorksAndLeavesNothingWhenPurged() throws Exception {
        Cli.Result built = Cli.build("scripts/package", "--no-build");
        assertThat(built.exit()).as(built.toString()).isZero();
        String deb = built.out().strip();
        assertThat(deb).matches("target/macvlan-doctor_[0-9.]+_all\\.deb");
        Cli.Result fields = Cli.exec("dpkg-deb", "--field", deb, "Depends", "Architecture");
        assertThat(fields.out()).contains("java17-runtime-headless").contains("libpcap0.8 | libpcap0.8t64")
                .contains("iproute2").contains("Architecture: all");
        try {
            Cli.Result install = Cli.exec("dpkg", "-i", deb);
            assertThat(install.exit()).as(install.toString()).isZero();
            installedPackageIsUsable();
        } finally {
            Cli.Result purge = Cli.exec("dpkg", "--purge", "macvlan-doctor");
            assertThat(purge.exit()).as(purge.toString()).isZero();
        }
        for (String p : new String[] {"/usr/bin/macvlan-doctor", "/usr/share/macvlan-doctor", "/var/cache/macvlan-doctor",
            "/usr/libexec/docker/cli-plugins/docker-macvlan", "/usr/share/man/man1/macvlan-doctor.1.gz"}) {
            assertThat(Path.of(p)).as("left after purge").doesNotExist();
        }
    }

    private void installedPackageIsUsable() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            // Twice: the first run writes the start-up archive, the second uses it; neither prints a warning.
            for (int i = 0; i < 2; i++) {
                Cli.Result v = Cli.exec("/usr/bin/macvlan-doctor", "verify", "--lab", lab.name);
                assertThat(v.exit()).as(v.toString()).isZero();
                assertThat(v.out()).contains("verdict: PASS");
                assertThat(v.err()).as("stderr of run " + i).isEmpty();
            }
            assertThat(Files.list(Path.of("/var/cache/macvlan-doctor")).toList()).as("start-up archive").isNotEmpty();
            // JNA's native part was unpacked once into the cache; a run loads it from there (JNA, asked to say
            // how it loads, says nothing of taking it out of the jar).
            try (var cache = Files.list(Path.of("/var/cache/macvlan-doctor"))) {
                assertThat(cache.filter(p -> p.getFileName().toString().startsWith("jna-")).toList()).singleElement()
                        .satisfies(d -> assertThat(d.resolve("libjnidispatch.so")).isRegularFile());
            }
            Cli.Result third = Cli.exec("env", "MVD_JAVA_OPTS=-Djna.debug_load=true", "/usr/bin/macvlan-doctor",
                    "verify", "--lab", lab.name);
            assertThat(third.exit()).as(third.toString()).isZero();
            assertThat(third.err()).as("JNA's own account of its loading").contains("libpcap")
                    .doesNotContain("extractFromResourcePath");
        }
        Cli.Result man = Cli.exec("man", "-l", "/usr/share/man/man1/macvlan-doctor-verify.1.gz");
        assertThat(man.exit()).as(man.toString()).isZero();
        assertThat(man.out()).contains("NAME").contains("macvlan-doctor-verify").contains("--probe-timeout");
        assertThat(Cli.exec("man", "-w", "macvlan-doctor").out()).contains("/usr/share/man/man1/macvlan-doctor.1.gz");

        // The completion, sourced in bash as bash-completion would: `verify --pro<TAB>` offers --probe-timeout.
        Cli.Result comp = Cli.exec("bash", "-c", ". /usr/share/bash-completion/completions/macvlan-doctor; "
                + "COMP_WORDS=(macvlan-doctor verify --pro); COMP_CWORD=2; COMP_LINE='macvlan-doctor verify --pro'; "
                + "COMP_POINT=${#COMP_LINE}; _complete_macvlan-doctor macvlan-doctor --pro verify; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(comp.out()).as(comp.toString()).contains("--probe-timeout");

        // The Docker CLI finds the plugin.
        Cli.Result meta = Cli.exec("/usr/libexec/docker/cli-plugins/docker-macvlan", "docker-cli-plugin-metadata");
        Map<?, ?> m = (Map<?, ?>) io.macvlandoctor.json.Json.parse(meta.out());
        assertThat(m.get("SchemaVersion")).isEqualTo("0.1.0");
        assertThat(m.get("Vendor")).isEqualTo("macvlan-doctor");
        Cli.Result version = Cli.exec("docker", "macvlan", "--version");
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("macvlan-doctor ");
        Cli.Result help = Cli.exec("docker", "--help");
        assertThat(help.out()).contains("macvlan");

        // docker macvlan verify NAME, against the daemon of the docker CLI's current context.
        Path config = dir.resolve("docker-config");
        try (TestLab lab = TestLab.up("--docker")) {
            String sock = DockerIT.dockerHost(lab);
            Cli.Result ctx = Cli.exec("env", "DOCKER_CONFIG=" + config, "docker", "context", "create", "mvdlab",
                    "--docker", "host=" + sock);
            assertThat(ctx.exit()).as(ctx.toString()).isZero();
            Cli.Result v = Cli.exec("env", "DOCKER_CONFIG=" + config, "docker", "--context", "mvdlab", "macvlan",
                    "verify", "c1", "--setup", "--host-netns", lab.hostNs());
            assertThat(v.exit()).as(v.toString()).isZero();
            assertThat(v.out()).contains("verdict: PASS");
        }
    }
}
