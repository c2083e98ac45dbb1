package io.macvlandoctor.shell;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.engine.Workbench;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Durations;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.HandProbe;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.report.FrameText;
import io.macvlandoctor.report.HtmlReport;
import io.macvlandoctor.report.Style;
import io.macvlandoctor.report.TextReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The shell's own commands; the CLI's commands are added beside them by whoever starts the shell. */
@Command(name = "", subcommands = {
    ShellCommands.Probe.class, ShellCommands.Capture.class, ShellCommands.Show.class, ShellCommands.Export.class,
    ShellCommands.Explain.class, ShellCommands.Exit.class},
        description = "Commands: probe, capture start|stop, show frames|path|facts, export, explain, exit, and "
            + "every macvlan-doctor command (verify, diagnose, setup, ...) on this shell's target.")
public final class ShellCommands implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** Base of the shell's commands: the session, and where to print. */
    abstract static class InSession {
        @Spec
        CommandSpec spec;

        Session session() {
            return Session.current;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    /** Capture point names for TAB completion. */
    static final class PointNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> l = new ArrayList<>();
            for (Role r : Role.values()) {
                l.add(r.id());
            }
            return l.iterator();
        }
    }

    /** Check ids and cause codes for TAB completion: the registry's, every one of them. */
    static final class Explainable implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> l = new ArrayList<>();
            for (CheckId c : CheckId.values()) {
                l.add(c.id());
            }
            for (Cause c : Cause.values()) {
                l.add(c.code());
            }
            return l.iterator();
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Send one probe (or --count) with every point captured, and show its path and what it proves.")
    static final class Probe extends InSession implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "icmp|arp|icmp6|ndp", description = "icmp or icmp6 (an echo through "
                + "the kernel), arp or ndp (a request injected as arping or ndisc6 sends it)")
        HandProbe.Kind kind;

        @Option(names = "--from", required = true, paramLabel = "host|container", description = "Which side sends it.")
        HandProbe.Side from;

        @Option(names = "--to", paramLabel = "IP", description = "Default: the other side's address.")
        String to;

        @Option(names = "--count", defaultValue = "1", description = "How many (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--timeout", defaultValue = "300ms", paramLabel = "DURATION",
                description = "How long each waits for its answer (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Override
        public Integer call() throws InterruptedException {
            if (count < 1 || count > 1000) {
                throw new UsageException("--count must be between 1 and 1000");
            }
            Session s = session();
            Target t = s.target();
            IpAddress dst = to == null ? null : IpAddress.parse(to, kind.family());
            Workbench.ProbeResult r = s.bench.probe(t, kind, from, dst, count, Durations.parse(timeout));
            s.add(r.run().frames(), r.run().points());
            PrintWriter out = out();
            String label = kind.name().toLowerCase(Locale.ROOT) + " from " + from.name().toLowerCase(Locale.ROOT);
            for (Exchange e : r.exchanges()) {
                TextReport.writeExchange(label, e, r.run().points(), r.topology(), r.proves(), out, s.style);
            }
            if (r.exchanges().isEmpty()) {
                out.println("  nothing of this probe was seen at any point"
                        + (r.run().note().isEmpty() ? "" : ": " + r.run().note()));
            }
            r.kernel().forEach(k -> out.println("  kernel: " + k.describe()));
            if (r.run().kernel().note() != null) {
                out.println("  (" + r.run().kernel().note() + ")");
            }
            out.println(r.run().answeredCount() + " of " + count + " answered");
            out.println("what it proves:");
            for (CheckResult c : r.proves()) {
                out.println(TextReport.checkLine(c, Style.PLAIN));
            }
            out.flush();
            return r.run().answeredCount() == count ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }

    @Command(name = "capture", mixinStandardHelpOptions = true, description = "Capture live on the target's points.",
            subcommands = {Capture.Start.class, Capture.Stop.class})
    static final class Capture implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new UsageException("capture start or capture stop");
        }

        @Command(name = "start", mixinStandardHelpOptions = true,
                description = "Start capturing; frames print as they come while the prompt stays usable. "
                    + "Ctrl-C or 'capture stop' ends it.")
        static final class Start extends InSession implements Callable<Integer> {
            @Option(names = "--point", paramLabel = "POINT", split = ",", completionCandidates = PointNames.class,
                    description = "parent, shim, container, wire (repeatable; default: all)")
            List<String> pointNames = new ArrayList<>();

            @Option(names = "--filter", paramLabel = "BPF", defaultValue = "arp or icmp or icmp6",
                    description = "A capture filter (default: ${DEFAULT-VALUE}).")
            String filter;

            @Override
            public Integer call() {
                Session s = session();
                if (s.capture != null) {
                    throw new UsageException("a capture is already running: capture stop first");
                }
                Set<Role> roles = EnumSet.noneOf(Role.class);
                for (String n : pointNames) {
                    Role r = Role.fromId(n);
                    if (r == null) {
                        throw new UsageException("unknown capture point '" + n + "' (parent, shim, container, wire)");
                    }
                    roles.add(r);
                }
                long t0 = System.currentTimeMillis() * 1_000_000L;
                s.capture = s.bench.capture(s.target(), roles, filter, f -> {
                    s.add(f);
                    s.printAbove.accept(FrameText.line(f, t0));
                });
                out().println("capturing on " + String.join(", ", s.capture.points().stream()
                        .map(CapturePoint::name).toList()) + " (" + filter + "); capture stop or Ctrl-C ends it");
                out().flush();
                return ExitCodes.OK;
            }
        }

        @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the running capture.")
        static final class Stop extends InSession implements Callable<Integer> {
            @Override
            public Integer call() {
                out().println(stopCapture(session()));
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    /** Stops the session's capture, if any; says what it caught. */
    static String stopCapture(Session s) {
        if (s.capture == null) {
            return "no capture is running";
        }
        long n = s.capture.stop().stream().mapToLong(c -> c.captured()).sum();
        s.capture = null;
        return "capture stopped: " + n + " frames (show frames, show path, export FILE)";
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show what the session gathered.",
            subcommands = {Show.Frames.class, Show.Path.class, Show.Facts.class})
    static final class Show implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UsageException("show frames, show path or show facts");
        }

        @Command(name = "frames", mixinStandardHelpOptions = true, description = "The frames seen so far.")
        static final class Frames extends InSession implements Callable<Integer> {
            @Option(names = "--last", defaultValue = "50", description = "How many (default: ${DEFAULT-VALUE}).")
            int last;

            @Override
            public Integer call() {
                List<Frame> all = new ArrayList<>(session().frames());
                all.sort(Comparator.comparingLong(Frame::timeNs));
                if (all.isEmpty()) {
                    out().println("no frames yet: probe or capture start");
                }
                long t0 = all.isEmpty() ? 0 : all.get(0).timeNs();
                for (Frame f : all.subList(Math.max(0, all.size() - last), all.size())) {
                    out().println(FrameText.line(f, t0));
                }
                out().flush();
                return ExitCodes.OK;
            }
        }

        @Command(name = "path", mixinStandardHelpOptions = true,
                description = "The exchanges between host and container among the frames seen so far.")
        static final class Path extends InSession implements Callable<Integer> {
            @Override
            public Integer call() {
                Session s = session();
                Target t = s.target();
                Topology topo = s.bench.topology(t);
                s.bench.path(t, s.frames()).forEach(l -> TextReport.writeExchange(l.label(), l.exchange(),
                        s.points(), topo, List.of(), out(), s.style));
                out().flush();
                return ExitCodes.OK;
            }
        }

        @Command(name = "facts", mixinStandardHelpOptions = true,
                description = "Links, modes, routes, the kernel's route choices, sysctls, neighbours, firewall.")
        static final class Facts extends InSession implements Callable<Integer> {
            @Override
            public Integer call() {
                Session s = session();
                s.bench.facts(s.target()).forEach(out()::println);
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write the session's frames to FILE: as pcapng (one interface per point, the target's "
                + "facts; the default), or with 'export html FILE' as the HTML report (every exchange's ladder, "
                + "what the frames prove, the facts).", ""})
    static final class Export extends InSession implements Callable<Integer> {
        @Parameters(arity = "1..2", paramLabel = "[pcapng|html] FILE")
        List<String> args;

        @Option(names = "--force", description = "Overwrite FILE if it exists.")
        boolean force;

        @Override
        public Integer call() {
            String format = args.size() == 2 ? args.get(0) : "pcapng";
            String file = args.get(args.size() - 1);
            if (!format.equals("pcapng") && !format.equals("html")) {
                throw new UsageException("export " + format + ": pcapng or html");
            }
            java.nio.file.Path p = java.nio.file.Path.of(file);
            if (Files.isSymbolicLink(p)) {
                throw new UsageException("refusing to write " + file + ": it is a symbolic link");
            }
            if (Files.exists(p) && !force) {
                throw new UsageException(file + " exists: give --force to overwrite it");
            }
            Session s = session();
            List<Frame> frames = s.frames();
            try (OutputStream o = Files.newOutputStream(p, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                if (format.equals("html")) {
                    PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(o,
                            java.nio.charset.StandardCharsets.UTF_8));
                    HtmlReport.write(List.of(s.bench.report(s.lastTarget(), frames, s.points())), w);
                    w.flush();
                } else {
                    s.bench.export(s.lastTarget(), frames, s.points(), o);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            out().println(frames.size() + " frames written to " + file + (format.equals("html") ? " (HTML)" : ""));
            out().flush();
            return ExitCodes.OK;
        }
    }


    @Command(name = "explain", mixinStandardHelpOptions = true, description = "What a check id or cause code means.")
    static final class Explain extends InSession implements Callable<Integer> {
        @Parameters(paramLabel = "ID", completionCandidates = Explainable.class)
        String id;

        @Override
        public Integer call() {
            CheckId c = CheckId.byId(id);
            Cause cause = Cause.byCode(id);
            if (c == null && cause == null) {
                throw new UsageException("unknown check id or cause code '" + id + "'");
            }
            out().println(id + ": " + (c != null ? c.explanation() + " (" + c.docs() + ")"
                    : cause.explanation() + " (" + cause.docs() + ")"));
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "exit", aliases = "quit", mixinStandardHelpOptions = true,
            description = "Leave the shell, undoing its setups (unless setup --keep).")
    static final class Exit extends InSession implements Callable<Integer> {
        @Override
        public Integer call() {
            session().exitRequested = true;
            return ExitCodes.OK;
        }
    }
}
