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
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import picocli.CommandLine.Option;

/** --report-json and --junit: checked before the run (a typo must not cost a run), written after it. */
public final class OutputOptions {
    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the JSON report to FILE ('-': stdout).")
    String json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML, one testcase per check, to FILE.")
    String junit;

    @Option(names = "--pcapng", paramLabel = "FILE", description = "Write every captured frame to FILE as pcapng "
            + "(one interface per capture point, comments on the evidence; opens in Wireshark).")
    String pcapng;

    /** Fails with exit 2 when an output file could not be written. */
    public void validate() {
        for (String f : new String[] {json, junit, pcapng}) {
            if (f == null || f.equals("-")) {
                continue;
            }
            Path p = Path.of(f).toAbsolutePath();
            Path dir = p.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new UsageException("cannot write " + f + ": directory " + dir + " does not exist");
            }
            if (Files.isDirectory(p)) {
                throw new UsageException("cannot write " + f + ": it is a directory");
            }
            if (!Files.isWritable(dir) || Files.exists(p) && !Files.isWritable(p)) {
                throw new UsageException("cannot write " + f + ": permission denied");
            }
        }
    }

    /** True when the JSON goes to stdout, so that the text report stays out of it. */
    public boolean jsonOnStdout() {
        return "-".equals(json);
    }

    public void write(Report r, PrintWriter stdout) {
        if (!jsonOnStdout()) {
            TextReport.write(r, stdout);
        }
        emit(json, r, JsonReport::write, stdout);
        emit(junit, r, JunitReport::write, stdout);
        if (pcapng != null) {
            if (pcapng.equals("-")) {
                throw new UsageException("--pcapng needs a file name (it is binary)");
            }
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(Path.of(pcapng)))) {
                ReportExport.write(r, o, "macvlan-doctor " + r.command());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + pcapng + ": " + e.getMessage(), e);
            }
        }
    }

    private static void emit(String f, Report r, BiConsumer<Report, PrintWriter> renderer, PrintWriter stdout) {
        if (f == null) {
            return;
        }
        if (f.equals("-")) {
            renderer.accept(r, stdout);
            return;
        }
        try (Writer w = Files.newBufferedWriter(Path.of(f), StandardCharsets.UTF_8);
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
