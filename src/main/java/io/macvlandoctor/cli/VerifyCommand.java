package io.macvlandoctor.cli;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.engine.Verifier;
import io.macvlandoctor.model.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `verify`: probe both ways with every point captured and check the documented path. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Capture on the parent, the shim and the container's interface at once, probe both ways "
            + "(ICMP and ARP), match the frames across the points and check the documented path. Changes nothing "
            + "but neighbour entries, unless --setup is given.", ""})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;

    @Mixin
    ProbeOptions probe;

    @Option(names = "--setup", description = "Probe first to show the isolation, apply the fix (journaled), probe "
            + "again, then undo the changes.")
    boolean setup;

    @Option(names = "--keep", description = "With --setup: keep the fix (undo it later with teardown).")
    boolean keep;

    @Override
    public Integer call() throws InterruptedException {
        return ProbingRun.run("verify", spec, target, output, probe.options(setup, keep, false));
    }

    /** The probe options shared by verify, diagnose and lab verify. */
    public static final class ProbeOptions {
        @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "300ms",
                converter = DurationConverter.class,
                description = "How long each probe waits for its answer (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--no-flush", description = "Do not flush the neighbour entries of the two addresses first "
                + "(then ARP exchanges may not be seen).")
        boolean noFlush;

        @Option(names = "--no-trace", description = "Do not record the kernel's decisions (route lookups, neighbour "
                + "updates, drops with their reason) in a trace instance of the run's own while the probes run.")
        boolean noTrace;

        @Option(names = "--no-lan", description = "Do not probe the container's path to the LAN (its gateway and "
                + "each --lan-ip): only the path between host and container.")
        boolean noLan;

        @Option(names = "--lan-ip", paramLabel = "IP", description = "Also probe this LAN address from the container "
                + "(repeatable), besides its default gateway; probes never go elsewhere.")
        List<String> lanIps = new ArrayList<>();

        Verifier.Options options(boolean setup, boolean keep, boolean alwaysFacts) {
            if (noLan && !lanIps.isEmpty()) {
                throw new UsageException("--lan-ip goes without --no-lan");
            }
            return new Verifier.Options(timeout, !noFlush, setup, keep, alwaysFacts, !noTrace, !noLan,
                    lanIps.stream().map(IpAddress::parse).toList());
        }
    }
}
