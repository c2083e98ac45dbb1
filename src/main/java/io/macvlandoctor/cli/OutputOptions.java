package io.macvlandoctor.cli;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.report.JsonReport;
import io.macvlandoctor.report.JunitReport;
import io.macvlandoctor.report.TextReport;
import io.macvlandoctor.export.ReportExport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import picocli.CommandLine.Option;

/** --report-json and --junit: checked before the run (a typo must not cost a run), written after it. */
public final class OutputOptions {
    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the JSON report to FILE ('-': stdout).")
    String json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML, one testcase per check, to FILE.")
    String junit;

    @Option(names = "--force", description = "Overwrite output files that already exist.")
    boolean force;

    @Option(names = "--pcapng", paramLabel = "FILE", description = "Write every captured frame to FILE as pcapng "
            + "(one interface per capture point, comments on the evidence; opens in Wireshark).")
    String pcapng;

    /**
     * Fails with exit 2 when an output file could not be written, or would replace something: an existing file
     * (unless --force) and a symbolic link (never: a root process must not be steered into writing elsewhere).
     */
    public void validate() {
        if ("-".equals(pcapng)) {
            throw new UsageException("--pcapng needs a file name (it is binary)");
        }
        List<String> seen = new ArrayList<>();
        for (String f : new String[] {json, junit, pcapng}) {
            if (f == null || f.equals("-")) {
                continue;
            }
            if (f.isEmpty()) {
                throw new UsageException("an output file name is empty");
            }
            Path p = Path.of(f).toAbsolutePath().normalize();
            if (seen.contains(p.toString())) {
                throw new UsageException("cannot write two reports to " + f);
            }
            seen.add(p.toString());
            check(f, force);
        }
    }

    /**
     * An output file may be written when its directory exists and is writable, and it is neither a symbolic link
     * (a root process must not be steered into writing elsewhere), nor a directory, nor an existing file (unless
     * force).
     */
    public static void check(String f, boolean force) {
        Path p = Path.of(f).toAbsolutePath().normalize();
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("cannot write " + f + ": directory " + dir + " does not exist");
        }
        if (Files.isSymbolicLink(Path.of(f))) {
            throw new UsageException("refusing to write " + f + ": it is a symbolic link");
        }
        if (Files.isDirectory(p)) {
            throw new UsageException("cannot write " + f + ": it is a directory");
        }
        if (Files.exists(p) && !force) {
            throw new UsageException(f + " exists: give --force to overwrite it");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new UsageException("refusing to write " + f + ": it is not a regular file");
        }
        if (!Files.isWritable(dir) || Files.exists(p) && !Files.isWritable(p)) {
            throw new UsageException("cannot write " + f + ": permission denied");
        }
    }

    /** True when the JSON goes to stdout, so that the text report stays out of it. */
    public boolean jsonOnStdout() {
        return "-".equals(json);
    }

    /** Many containers: the summary as text, every report in JSON, JUnit and pcapng. */
    public void writeMany(List<Report> reports, PrintWriter stdout) {
        if (!jsonOnStdout()) {
            TextReport.writeMany(reports, stdout);
        }
        emit(json, reports, JsonReport::writeMany, stdout);
        emit(junit, reports, (rs, w) -> JunitReport.writeMany(rs, true, w), stdout);
        if (pcapng != null) {
            try (OutputStream o = open(pcapng)) {
                ReportExport.writeMany(reports, o, "macvlan-doctor " + reports.get(0).command());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + pcapng + ": " + e.getMessage(), e);
            }
        }
    }

    public void write(Report r, PrintWriter stdout) {
        if (!jsonOnStdout()) {
            TextReport.write(r, stdout);
        }
        emit(json, r, JsonReport::write, stdout);
        emit(junit, r, JunitReport::write, stdout);
        if (pcapng != null) {
            try (OutputStream o = open(pcapng)) {
                ReportExport.write(r, o, "macvlan-doctor " + r.command());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + pcapng + ": " + e.getMessage(), e);
            }
        }
    }

    /** Never through a symbolic link, even one that appeared after validate(). */
    public static OutputStream open(String f) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(Path.of(f), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    }

    private static <T> void emit(String f, T r, BiConsumer<T, PrintWriter> renderer, PrintWriter stdout) {
        if (f == null) {
            return;
        }
        if (f.equals("-")) {
            renderer.accept(r, stdout);
            return;
        }
        try (Writer w = new OutputStreamWriter(open(f), StandardCharsets.UTF_8);
             PrintWriter pw = new PrintWriter(w)) {
            renderer.accept(r, pw);
            if (pw.checkError()) {
                throw new IOException("write error");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
