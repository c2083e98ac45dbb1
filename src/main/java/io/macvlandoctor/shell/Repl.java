package io.macvlandoctor.shell;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.Signals;
import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * The shell's loop: a JLine prompt with completion and history on a terminal, or one command per line from a pipe.
 * Either way each line runs through picocli like a command line, and the worst exit code is the shell's.
 */
public final class Repl {
    private static final Set<String> TARGETED = Set.of("verify", "diagnose", "setup", "teardown");
    private static final List<String> TARGET_OPTIONS = List.of("--lab", "--host-netns", "--container-pid", "--container",
            "--container-netns");

    private final Session session;
    private final Supplier<CommandLine> commandLines;
    private int worst = ExitCodes.OK;

    /** @param commandLines makes the command line each input line runs through (the shell's and the CLI's commands) */
    public Repl(Session session, Supplier<CommandLine> commandLines) {
        this.session = session;
        this.commandLines = commandLines;
        Session.current = session;
    }

    /** With a terminal: prompt, TAB completion, history in ~/.macvlan-doctor_history, Ctrl-C handling. */
    public int interactive() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            DefaultParser parser = new DefaultParser();
            parser.setEscapeChars(null); // BPF filters and paths keep their backslashes
            CommandLine root = commandLine(terminal.writer());
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                    .completer(new PicocliJLineCompleter(root.getCommandSpec()))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"),
                            ".macvlan-doctor_history"))
                    // '!' starts BPF negations ("not" is spelled '!'): no history expansion.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            session.printAbove = reader::printAbove;
            PrintWriter out = terminal.writer();
            out.println("macvlan-doctor shell on " + session.label() + ": help, probe, capture start, show path, "
                    + "exit (Ctrl-D)");
            Thread main = Thread.currentThread();
            while (!session.exitRequested && Signals.received() == null) {
                String line;
                try {
                    line = reader.readLine("macvlan-doctor[" + session.label() + "]> ");
                } catch (UserInterruptException e) {
                    // Ctrl-C at the prompt: stops a running capture, never the shell.
                    if (session.capture != null) {
                        out.println(ShellCommands.stopCapture(session));
                    }
                    continue;
                } catch (EndOfFileException e) {
                    break;
                } catch (IOError e) {
                    // The terminal went away (an SSH connection dropped, the window closed), or SIGTERM or SIGHUP
                    // woke the read: either way the shell ends as on exit, by a hang-up unless a signal came.
                    Signals.hungUp();
                    break;
                }
                // Ctrl-C while a command runs interrupts it (probes and captures stop waiting), not the JVM.
                Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, sig -> main.interrupt());
                try {
                    execute(reader.getParsedLine().words(), terminal.writer());
                } finally {
                    terminal.handle(Terminal.Signal.INT, previous);
                    if (Signals.received() == null) {
                        Thread.interrupted();
                    }
                }
            }
            leave(out);
        }
        return ended();
    }

    /**
     * The shell's exit code: after SIGTERM, SIGHUP or a lost terminal, the signal's, with its one line (on
     * stderr, which may be all that is left); otherwise the worst command's. At a terminal, Ctrl-C on a probe is
     * the user's choice, not the session's failure.
     */
    private int ended() {
        if (Signals.received() != null) {
            Signals.sayLastLine();
            return Signals.exitCode();
        }
        return worst == ExitCodes.INTERRUPTED ? ExitCodes.OK : worst;
    }

    /** Without a terminal: one command per line, the same output, the worst exit code. */
    public int piped(InputStream in, PrintWriter out) throws IOException {
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(null);
        session.printAbove = l -> {
            out.println(l);
            out.flush();
        };
        LineQueue lines = new LineQueue(in);
        for (String line; !session.exitRequested && Signals.received() == null && (line = lines.next()) != null; ) {
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            List<String> words;
            try {
                words = parser.parse(line, line.length()).words();
            } catch (RuntimeException e) {
                out.println("macvlan-doctor: cannot parse '" + line + "': " + e.getMessage());
                worst = Math.max(worst, ExitCodes.USAGE);
                continue;
            }
            execute(words, out);
        }
        leave(out);
        return Signals.received() != null ? ended() : worst;
    }

    private CommandLine commandLine(PrintWriter out) {
        CommandLine cl = commandLines.get();
        cl.setOut(out);
        cl.setErr(out);
        return cl;
    }

    void execute(List<String> raw, PrintWriter out) {
        List<String> words = new ArrayList<>();
        for (String w : raw) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (words.isEmpty()) {
            return;
        }
        if (words.get(0).equals("help")) {
            words.set(0, "--help");
        }
        boolean keep = false;
        if (TARGETED.contains(words.get(0)) && words.stream().noneMatch(TARGET_OPTIONS::contains)) {
            words.addAll(session.targetArgs);
        }
        if (words.get(0).equals("setup")) {
            keep = words.remove("--keep");
        }
        Set<String> runsBefore = words.get(0).equals("setup") ? journalRuns() : Set.of();
        int code = words.get(0).equals("--help") ? helpCode(out) : commandLine(out).execute(words.toArray(String[]::new));
        worst = Math.max(worst, code);
        if (words.get(0).equals("setup") && code == ExitCodes.OK && !words.contains("--dry-run")) {
            Set<String> runs = journalRuns();
            runs.removeAll(runsBefore);
            if (keep) {
                out.println("kept: this fix stays when the shell ends (teardown undoes it)");
            } else if (!runs.isEmpty()) {
                session.setupRuns.addAll(runs);
                out.println("this fix is undone when the shell ends (setup --keep keeps it)");
            }
        }
        out.flush();
    }

    private int helpCode(PrintWriter out) {
        commandLine(out).usage(out);
        return ExitCodes.OK;
    }

    private Set<String> journalRuns() {
        return new LinkedHashSet<>(session.bench.journalRuns());
    }

    /** Stops the capture and undoes the setups of this session that were not kept. */
    private void leave(PrintWriter out) {
        if (session.capture != null) {
            out.println(ShellCommands.stopCapture(session));
        }
        if (!session.setupRuns.isEmpty()) {
            try {
                session.bench.undoRuns(session.setupRuns).forEach(l -> out.println("- " + l));
            } catch (RuntimeException e) {
                out.println("macvlan-doctor: could not undo this shell's setup (" + e.getMessage()
                        + "): run macvlan-doctor teardown");
                worst = Math.max(worst, ExitCodes.ENVIRONMENT);
            }
        }
        out.flush();
    }
}
