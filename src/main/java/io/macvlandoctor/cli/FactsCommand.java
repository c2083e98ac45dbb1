package io.macvlandoctor.cli;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.engine.FactsDump;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `facts`: the kernel facts of a live target as JSON, for `analyze --facts` on another machine. */
@Command(name = "facts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the kernel facts of a target (links, macvlan modes, MACs, addresses, routes, the "
            + "kernel's route choices both ways, effective sysctls, neighbour and proxy entries, firewall rules) as "
            + "JSON. Capture with tcpdump on the host, run facts there, and analyze both anywhere: "
            + "macvlan-doctor analyze --capture parent=p.pcap --facts f.json. Changes nothing.", ""})
public final class FactsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    String output;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Option(names = "--record", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "First record the kernel's decisions about the target's addresses for DURATION (route "
                    + "lookups, neighbour updates, drops with their reason) while your own ping or capture runs; "
                    + "analyze --facts uses them. Uses a trace instance of its own, removed after.")
    Duration record;

    @Override
    public Integer call() throws InterruptedException {
        TargetResolver.validate(target.spec());
        if (output != null && !output.equals("-")) {
            OutputOptions.check(output, force);
        }
        Privileges.requireNetworkAdmin("facts");
        FactsDump dump = new FactsDump(new ProcessRunner());
        PrintWriter err = spec.commandLine().getErr();
        if (record != null && (record.isNegative() || record.compareTo(Duration.ofHours(1)) > 0)) {
            throw new UsageException("--record " + record.toMillis() + "ms: between 0 and 1h");
        }
        String json = FactsDump.json(record == null ? dump.read(target.spec())
                : dump.record(target.spec(), record, n -> err.println("macvlan-doctor: " + n), err::println));
        if (output == null || output.equals("-")) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(json);
            out.flush();
        } else {
            try (OutputStream o = OutputOptions.open(output)) {
                o.write(json.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
            }
            spec.commandLine().getErr().println("facts written to " + output);
        }
        return ExitCodes.OK;
    }
}
