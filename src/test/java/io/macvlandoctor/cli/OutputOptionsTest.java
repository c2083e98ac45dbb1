package io.macvlandoctor.cli;

import static io.macvlandoctor.cli.InProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output files: never overwritten by surprise, never written through a symbolic link. */
class OutputOptionsTest {
    @TempDir
    Path dir;

    static void assertRefused(InProcess.Run r, String message) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(message).doesNotContain("Exception");
    }

    @Test
    void anExistingFileNeedsForce() throws Exception {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "precious");
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--report-json", f.toString()),
                "exists: give --force");
        assertThat(Files.readString(f)).isEqualTo("precious");
        InProcess.Run forced = run("analyze", "--capture", "captures/healthy.pcapng", "--report-json", f.toString(),
                "--force");
        assertThat(forced.exit()).isZero();
        assertThat(Files.readString(f)).contains("\"schemaVersion\"");
    }

    @Test
    void aSymbolicLinkIsNeverFollowedEvenWithForce() throws Exception {
        Path target = dir.resolve("target.txt");
        Files.writeString(target, "precious");
        Path link = dir.resolve("link.xml");
        Files.createSymbolicLink(link, target);
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--junit", link.toString(), "--force"),
                "symbolic link");
        assertThat(Files.readString(target)).isEqualTo("precious");
    }

    @Test
    void impossiblePlacesAreRefusedBeforeTheRun() {
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--pcapng",
                dir.resolve("no/such/dir/x.pcapng").toString()), "does not exist");
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--report-json", dir.toString()),
                "is a directory");
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--report-json",
                dir.resolve("a").toString(), "--junit", dir.resolve("a").toString()), "two reports");
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--pcapng", "-", "--report-json", "-"),
                "only one of");
        assertRefused(run("analyze", "--capture", "captures/healthy.pcapng", "--color", "sometimes"), "--color");
    }
}
