package io.macvlandoctor.cli;

import io.macvlandoctor.Trace;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.export.ReportExport;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Verdict;
import io.macvlandoctor.report.HtmlReport;
import io.macvlandoctor.report.JsonReport;
import io.macvlandoctor.report.JunitReport;
import io.macvlandoctor.report.Style;
import io.macvlandoctor.report.TextReport;
import io.macvlandoctor.system.Terminal;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The outputs of a run: the text report (or only its verdict line), --report-json, --report-html, --junit and
 * --pcapng, each to a file or stdout. Checked before the run (a typo must not cost a run), written after it.
 */
public final class OutputOptions {
    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the JSON report to FILE ('-': stdout).")
    String json;

    @Option(names = "--report-html", paramLabel = "FILE", description = "Write the report as one self-contained HTML "
            + "file (a ladder diagram of every probe across the capture points, the checks, the diagnosis and its "
            + "fixes, the kernel's facts) to FILE ('-': stdout). Opens from a file or a CI artifact.")
    String html;

    @Option(names = "--ascii", description = "Draw the ladders of the text report in ASCII (the default where the "
            + "locale is not UTF-8).")
    boolean ascii;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML, one testcase per check, to FILE "
            + "('-': stdout).")
    String junit;

    @Option(names = "--pcapng", paramLabel = "FILE", description = "Write every captured frame to FILE as pcapng "
            + "(one interface per capture point, comments on the evidence; opens in Wireshark). '-': stdout, for "
            + "a pipe into wireshark -k -i - or tshark -r - (the text report then goes to stderr).")
    String pcapng;

    @Option(names = "--force", description = "Overwrite output files that already exist.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "Print only the verdict line (errors still go to stderr).")
    boolean quiet;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the statuses and the verdict: auto (on a terminal, unless NO_COLOR is set), "
                + "always, never (default: ${DEFAULT-VALUE}).")
    String color;

    /**
     * Fails with exit 2 when an output could not be written, or would replace something: an existing file (unless
     * --force) and a symbolic link (never: a root process must not be steered into writing elsewhere).
     */
    public void validate() {
        if (!List.of("auto", "always", "never").contains(color)) {
            throw new UsageException("--color " + color + ": auto, always or never");
        }
        int toStdout = 0;
        for (String f : new String[] {json, html, junit, pcapng}) {
            toStdout += "-".equals(f) ? 1 : 0;
        }
        if (toStdout > 1) {
            throw new UsageException("only one of --report-json, --report-html, --junit and --pcapng can go to stdout");
        }
        if ("-".equals(pcapng) && Terminal.stdout()) {
            throw new UsageException("--pcapng -: stdout is a terminal; pipe it (| wireshark -k -i -, | tshark -r -) or "
                    + "give a file name");
        }
        List<String> seen = new ArrayList<>();
        for (String f : new String[] {json, html, junit, pcapng}) {
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

    /** Whether stdout carries a machine-readable output, so that the text report must stay out of it. */
    public boolean stdoutTaken() {
        return "-".equals(json) || "-".equals(html) || "-".equals(junit) || "-".equals(pcapng);
    }

    /**
     * The style of the text report: colour on a terminal unless NO_COLOR or --color never; ladders in box-drawing
     * characters where the locale is UTF-8, unless --ascii.
     */
    public Style style() {
        boolean on = switch (color) {
            case "always" -> true;
            case "never" -> false;
            default -> Terminal.stdout() && System.getenv("NO_COLOR") == null && !stdoutTaken();
        };
        return (on ? Style.COLOUR : Style.PLAIN).withUnicode(!ascii && Style.utf8Locale(System.getenv()));
    }

    /**
     * Writes the reports of a run: one container's, or many's (a summary line each in text, all of them in JSON,
     * JUnit and pcapng). The text goes to stdout, or to stderr when stdout carries another output.
     */
    public void write(List<Report> reports, PrintWriter stdout, PrintWriter stderr) {
        Trace.mark("report writing");
        boolean many = reports.size() > 1;
        PrintWriter text = stdoutTaken() ? stderr : stdout;
        Style s = style();
        if (quiet) {
            Verdict v = reports.stream().map(Report::verdict).reduce(Verdict.PASS, Verdict::worst);
            text.println("verdict: " + s.verdict(v));
            text.flush();
        } else if (many) {
            TextReport.writeMany(reports, text, s);
        } else {
            TextReport.write(reports.get(0), text, s);
        }
        emit(json, stdout, w -> {
            if (many) {
                JsonReport.writeMany(reports, w);
            } else {
                JsonReport.write(reports.get(0), w);
            }
        });
        emit(html, stdout, w -> HtmlReport.write(reports, w));
        emit(junit, stdout, w -> JunitReport.writeMany(reports, many, junitRun(), w));
        if (pcapng != null) {
            String app = "macvlan-doctor " + reports.get(0).command();
            try {
                if (pcapng.equals("-")) {
                    stdout.flush();
                    // Binary: straight to the process's stdout, not through the text writer.
                    OutputStream o = new BufferedOutputStream(System.out);
                    export(reports, many, o, app);
                    o.flush();
                } else {
                    try (OutputStream o = open(pcapng)) {
                        export(reports, many, o, app);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + pcapng + ": " + e.getMessage(), e);
            }
        }
    }

    /** The host's name and the run's start and length, which every JUnit suite states. */
    static JunitReport.Run junitRun() {
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant started = ProcessHandle.current().info().startInstant().orElse(now);
        String host;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        } catch (IOException e) {
            host = null;
        }
        return new JunitReport.Run(host, started, java.time.Duration.between(started, now));
    }

    private static void export(List<Report> reports, boolean many, OutputStream o, String app) throws IOException {
        if (many) {
            ReportExport.writeMany(reports, o, app);
        } else {
            ReportExport.write(reports.get(0), o, app);
        }
    }

    /** Never through a symbolic link, even one that appeared after validate(). */
    public static OutputStream open(String f) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(Path.of(f), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    }

    private static void emit(String f, PrintWriter stdout, java.util.function.Consumer<PrintWriter> renderer) {
        if (f == null) {
            return;
        }
        if (f.equals("-")) {
            renderer.accept(stdout);
            return;
        }
        try (Writer w = new OutputStreamWriter(open(f), StandardCharsets.UTF_8);
             PrintWriter pw = new PrintWriter(w)) {
            renderer.accept(pw);
            if (pw.checkError()) {
                throw new IOException("write error");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
