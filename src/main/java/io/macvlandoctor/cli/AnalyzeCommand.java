package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.engine.Analyzer;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
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
            + "e.g. tcpdump -w on the parent, the shim and the container while ping and arping run. Needs no root.",
            ""})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--capture", paramLabel = "[ROLE=]FILE", required = true,
            description = "A capture file (repeatable). ROLE: parent, parent-in, parent-out, shim, container, wire; "
                + "it may be left out for a pcapng written by macvlan-doctor.")
    List<String> captures = new ArrayList<>();

    @Option(names = "--container-ip", paramLabel = "IP",
            description = "The container's address, when the captures cannot tell (no capture on the container).")
    String containerIp;

    @Option(names = "--host-ip", paramLabel = "IP", description = "The host's address the container talks to.")
    String hostIp;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Analyzer.Input> inputs = new ArrayList<>();
        for (String c : captures) {
            inputs.add(parse(c));
        }
        int ctr = containerIp == null ? 0 : Ipv4.parse(containerIp);
        int host = hostIp == null ? 0 : Ipv4.parse(hostIp);
        output.validate();
        Report r = new Analyzer().analyze(inputs, ctr, host);
        output.write(r, spec.commandLine().getOut());
        return r.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    static Analyzer.Input parse(String value) {
        int eq = value.indexOf('=');
        if (eq < 0) {
            return new Analyzer.Input(null, Direction.UNKNOWN, Path.of(value));
        }
        String role = value.substring(0, eq);
        Path file = Path.of(value.substring(eq + 1));
        if (value.substring(eq + 1).isEmpty()) {
            throw new UsageException("--capture " + value + ": no file after '='");
        }
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
}
