package io.macvlandoctor.shell;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.Correlator;
import io.macvlandoctor.analysis.Diagnoser;
import io.macvlandoctor.analysis.FactLines;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.capture.LiveCapture;
import io.macvlandoctor.cli.AnalyzeCommand;
import io.macvlandoctor.cli.CompletionCommand;
import io.macvlandoctor.cli.DiagnoseCommand;
import io.macvlandoctor.cli.DurationConverter;
import io.macvlandoctor.cli.LabCommand;
import io.macvlandoctor.cli.OutputOptions;
import io.macvlandoctor.cli.SetupCommand;
import io.macvlandoctor.cli.TeardownCommand;
import io.macvlandoctor.cli.VerifyCommand;
import io.macvlandoctor.export.PcapngWriter;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.probe.ProbeRun;
import io.macvlandoctor.probe.SingleProbe;
import io.macvlandoctor.report.FactsJson;
import io.macvlandoctor.report.FrameText;
import io.macvlandoctor.report.TextReport;
import io.macvlandoctor.system.HostFactsReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
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

/** The shell's own commands, next to every command of the CLI. */
@Command(name = "", subcommands = {
    ShellCommands.Probe.class, ShellCommands.Capture.class, ShellCommands.Show.class, ShellCommands.Export.class,
    ShellCommands.Explain.class, ShellCommands.Exit.class,
    VerifyCommand.class, DiagnoseCommand.class, AnalyzeCommand.class, SetupCommand.class, TeardownCommand.class,
    LabCommand.class, CompletionCommand.class},
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
            return List.of("parent", "shim", "container", "wire").iterator();
        }
    }

    /** Check ids and cause codes for TAB completion. */
    static final class Explainable implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> l = new ArrayList<>(PathChecks.IDS);
            l.addAll(Diagnoser.CAUSES);
            return l.iterator();
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Send one probe (or --count) with every point captured, and show its path and what it proves.")
    static final class Probe extends InSession implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "icmp|arp", description = "icmp (an echo through the kernel) or arp "
                + "(a request injected as arping does)")
        SingleProbe.Kind kind;

        @Option(names = "--from", required = true, paramLabel = "host|container", description = "Which side sends it.")
        SingleProbe.Side from;

        @Option(names = "--to", paramLabel = "IP", description = "Default: the other side's address.")
        String to;

        @Option(names = "--count", defaultValue = "1", description = "How many (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--timeout", defaultValue = "300ms", converter = DurationConverter.class,
                description = "How long each waits for its answer (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() throws InterruptedException {
            if (count < 1 || count > 1000) {
                throw new UsageException("--count must be between 1 and 1000");
            }
            Session s = session();
            Target t = s.target();
            PathFacts f = s.facts(t);
            int dst = to != null ? Ipv4.parse(to) : from == SingleProbe.Side.HOST ? t.containerIp() : f.hostIp();
            SingleProbe.Result r = SingleProbe.run(t, f, kind, from, dst, count, timeout);
            s.add(r.frames(), r.points());
            PrintWriter out = out();
            Exchange.Kind ek = kind == SingleProbe.Kind.ICMP ? Exchange.Kind.ICMP_ECHO : Exchange.Kind.ARP;
            // An echo needs the neighbour resolved first: show that exchange too.
            List<Exchange> exchanges = Correlator.correlate(r.frames()).stream()
                    .filter(e -> (e.kind() == ek || e.kind() == Exchange.Kind.ARP) && e.responder() == dst).toList();
            for (Exchange e : exchanges) {
                TextReport.writeExchange(kind + " from " + from.name().toLowerCase(Locale.ROOT), e, out);
            }
            if (exchanges.isEmpty()) {
                out.println("  nothing of this probe was seen at any point" + (r.note().isEmpty() ? "" : ": " + r.note()));
            }
            out.println(r.answeredCount() + " of " + count + " answered");
            proves(f, r, out);
            out.flush();
            return r.answeredCount() == count ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }

        /** The checks this probe can speak to, computed on its own frames. */
        private void proves(PathFacts f, SingleProbe.Result r, PrintWriter out) {
            boolean host = from == SingleProbe.Side.HOST;
            Boolean ok = r.answeredCount() > 0;
            ProbeOutcome o = kind == SingleProbe.Kind.ICMP
                    ? host ? new ProbeOutcome(ok, null) : new ProbeOutcome(null, ok) : ProbeOutcome.UNKNOWN;
            ProbeExchanges p = ProbeExchanges.select(f, null, Correlator.correlate(r.frames()));
            Set<String> relevant = kind == SingleProbe.Kind.ICMP
                    ? host ? Set.of(PathChecks.HOST_ICMP, PathChecks.HOST_SRC_MAC, PathChecks.HOST_SRC_IP,
                            PathChecks.HOST_REPLY_VIA_SHIM, PathChecks.PARENT_TAP, PathChecks.STAYS_ON_HOST)
                            : Set.of(PathChecks.CONTAINER_ICMP, PathChecks.STAYS_ON_HOST)
                    : host ? Set.of(PathChecks.STAYS_ON_HOST) : Set.of(PathChecks.CONTAINER_ARP_FLUX);
            out.println("what it proves:");
            for (CheckResult c : PathChecks.evaluate(f, p, o)) {
                if (relevant.contains(c.id())) {
                    out.println(String.format(Locale.ROOT, "  %-4s  %-34s %s", c.status().name(), c.id(),
                            c.summary()));
                }
            }
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

            @Option(names = "--filter", paramLabel = "BPF", defaultValue = "arp or icmp",
                    description = "A capture filter (default: ${DEFAULT-VALUE}).")
            String filter;

            @Override
            public Integer call() {
                Session s = session();
                if (s.capture != null) {
                    throw new UsageException("a capture is already running: capture stop first");
                }
                List<Role> roles = new ArrayList<>();
                for (String n : pointNames) {
                    Role r = Role.fromId(n);
                    if (r == null) {
                        throw new UsageException("unknown capture point '" + n + "' (parent, shim, container, wire)");
                    }
                    roles.add(r);
                }
                List<LiveCapture.Spec> specs = ProbeRun.capturePoints(s.target()).stream()
                        .filter(p -> roles.isEmpty() || roles.contains(p.point().role())).toList();
                if (specs.isEmpty()) {
                    throw new UsageException("none of those points can be captured (down or absent)");
                }
                long t0 = System.currentTimeMillis() * 1_000_000L;
                s.capture = LiveCapture.open(specs, filter, f -> {
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
                PathFacts f = s.facts(s.target());
                ProbeExchanges p = ProbeExchanges.select(f, null, Correlator.correlate(s.frames()));
                p.labelled().forEach(l -> TextReport.writeExchange(l.label(), l.exchange(), out()));
                out().flush();
                return ExitCodes.OK;
            }
        }

        @Command(name = "facts", mixinStandardHelpOptions = true,
                description = "Links, modes, routes, the kernel's route choices, sysctls, neighbours.")
        static final class Facts extends InSession implements Callable<Integer> {
            @Override
            public Integer call() {
                Session s = session();
                Target t = s.target();
                FactLines.of(new HostFactsReader(s.runner).read(t, s.facts(t).hostIp())).forEach(out()::println);
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the session's frames as pcapng (one interface per point).")
    static final class Export extends InSession implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        String file;

        @Option(names = "--force", description = "Overwrite FILE if it exists.")
        boolean force;

        @Override
        public Integer call() {
            OutputOptions.check(file, force);
            Session s = session();
            List<Frame> frames = s.frames();
            try (OutputStream o = OutputOptions.open(file)) {
                Target t = s.lastTarget() != null ? s.lastTarget() : s.target();
                PcapngWriter.write(o, "macvlan-doctor shell", FactsJson.encode(s.facts(t), null,
                        ProbeOutcome.UNKNOWN), s.points(), frames, new IdentityHashMap<>());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            out().println(frames.size() + " frames written to " + file);
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
            String text = Explanations.of(id);
            if (text == null) {
                throw new UsageException("unknown check id or cause code '" + id + "'");
            }
            out().println(id + ": " + text);
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
