package io.macvlandoctor.cli;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.engine.Analyzer;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.report.FactsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `analyze`: verify and diagnose offline, on captures brought home from a host. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check and diagnose the path from capture files (pcap, micro- or nanosecond, or pcapng), "
            + "e.g. tcpdump -w on the parent, the shim and the container while ping and arping run. The facts the "
            + "frames are judged against come from our own pcapng export, from --facts (written by `facts` on the "
            + "host) or from the options, never from the frames themselves: what they leave unknown stays "
            + "unproven. Needs no root.", ""})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--capture", paramLabel = "[ROLE=]FILE", required = true,
            description = "A capture file (repeatable; '-' reads stdin, pcap or pcapng). ROLE: parent, parent-in, "
                + "parent-out, shim, container, wire; it may be left out for a pcapng written by macvlan-doctor.")
    List<String> captures = new ArrayList<>();

    @Option(names = "--facts", paramLabel = "FILE",
            description = "The kernel facts of the host, written there by: macvlan-doctor facts --output FILE.")
    String facts;

    @Option(names = "--container-ip", paramLabel = "IP", description = "The container's address.")
    String containerIp;

    @Option(names = "--host-ip", paramLabel = "IP", description = "The host's address the container talks to.")
    String hostIp;

    @Option(names = "--shim-mac", paramLabel = "MAC", description = "The shim's MAC (proves the source MAC, ARP "
            + "flux and the reply's way in).")
    String shimMac;

    @Option(names = "--parent-mac", paramLabel = "MAC", description = "The parent's MAC (tells its own frames from "
            + "the ones it taps, when the capture does not record directions).")
    String parentMac;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Analyzer.Input> inputs = new ArrayList<>();
        for (String c : captures) {
            inputs.add(parse(c));
        }
        if (inputs.stream().filter(i -> i.file() == null).count() > 1) {
            throw new UsageException("only one --capture can read stdin");
        }
        IpAddress ctr = containerIp == null ? null : IpAddress.parse(containerIp);
        IpAddress host = hostIp == null ? null : IpAddress.parse(hostIp);
        long shim = shimMac == null ? 0 : Mac.parse(shimMac);
        long parent = parentMac == null ? 0 : Mac.parse(parentMac);
        KernelFacts k = facts == null ? null : readFacts(facts);
        output.validate();
        Report r = new Analyzer(System.in).analyze(inputs, new Analyzer.Facts(k, ctr, host, shim, parent));
        List<Report> reports = List.of(r);
        output.write(reports, spec.commandLine().getOut(), spec.commandLine().getErr());
        return ProbingRun.exitCode(reports);
    }

    /** A facts file that cannot be read is bad input: one line naming it and where it went wrong. */
    static KernelFacts readFacts(String file) {
        String text;
        try {
            if (Files.size(Path.of(file)) > FactsJson.MAX_TEXT) {
                throw new UsageException(file + ": larger than " + (FactsJson.MAX_TEXT >> 20) + " MiB: not a facts "
                        + "file");
            }
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        try {
            return FactsJson.readFile(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": not a readable facts file: " + e.getMessage());
        }
    }

    static Analyzer.Input parse(String value) {
        int eq = value.indexOf('=');
        if (eq < 0) {
            return new Analyzer.Input(null, Direction.UNKNOWN, file(value));
        }
        String role = value.substring(0, eq);
        String name = value.substring(eq + 1);
        if (name.isEmpty()) {
            throw new UsageException("--capture " + value + ": no file after '='");
        }
        Path file = file(name);
        return switch (role) {
            case "parent-in" -> new Analyzer.Input(Role.PARENT, Direction.IN, file);
            case "parent-out" -> new Analyzer.Input(Role.PARENT, Direction.OUT, file);
            default -> {
                Role r = Role.fromId(role);
                if (r == null) {
                    throw new UsageException("unknown capture role '" + role
                            + "' (parent, parent-in, parent-out, shim, container, wire)");
                }
                yield new Analyzer.Input(r, Direction.UNKNOWN, file);
            }
        };
    }

    private static Path file(String name) {
        return name.equals("-") ? null : Path.of(name);
    }
}
