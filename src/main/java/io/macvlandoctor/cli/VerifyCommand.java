package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.UsageException;
import java.util.List;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.engine.MultiVerifier;
import io.macvlandoctor.engine.Verifier;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.TargetResolver;
import java.time.Duration;
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
        TargetResolver.validate(target.spec());
        output.validate();
        Privileges.requireNetworkAdmin("verify");
        ProcessRunner runner = new ProcessRunner();
        List<Target> many = new TargetResolver(runner).labContainers(target.spec());
        if (!many.isEmpty()) {
            if (setup) {
                throw new UsageException("verify --setup works on one container: name it with --container-netns "
                        + many.get(0).containerNs().ref() + " (or another mvd-NAME-ctrN)");
            }
            List<Report> reports = new MultiVerifier(runner, spec.commandLine().getErr()::println)
                    .verify(many, probe.options(false, false, false), "verify");
            output.writeMany(reports, spec.commandLine().getOut());
            return reports.stream().allMatch(Report::passed) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
        Report r = new Verifier(runner, spec.commandLine().getErr()::println).verify(target.spec(),
                probe.options(setup, keep, false), "verify");
        output.write(r, spec.commandLine().getOut());
        return r.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
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

        Verifier.Options options(boolean setup, boolean keep, boolean alwaysFacts) {
            return new Verifier.Options(timeout, !noFlush, setup, keep, alwaysFacts);
        }
    }
}
