package io.macvlandoctor.engine;

import io.macvlandoctor.Version;
import io.macvlandoctor.analysis.KernelMatch;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.KernelTrace;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import io.macvlandoctor.model.TargetSpec;
import io.macvlandoctor.report.FactsJson;
import io.macvlandoctor.system.KernelReader;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.target.TargetResolver;

/** `facts`: the kernel facts of a live target, as the JSON `analyze --facts` reads on another machine. */
public final class FactsDump {
    private final ProcessRunner runner;

    public FactsDump(ProcessRunner runner) {
        this.runner = runner;
    }

    public KernelFacts read(TargetSpec spec) {
        return new KernelReader(runner).read(new TargetResolver(runner).resolve(spec));
    }

    /**
     * The facts, with the kernel's decisions about the target's addresses recorded for a while first (facts
     * --record): while the user's own ping, arping or traffic runs, the kernel's route lookups, neighbour updates
     * and drops are kept, so that `analyze --facts` can name what a capture alone cannot.
     *
     * @param note where a note about the recording goes (tracefs unavailable, events lost)
     */
    public KernelFacts record(TargetSpec spec, Duration window, Consumer<String> note, Consumer<String> warn)
            throws InterruptedException {
        Target t = new TargetResolver(runner).resolve(spec);
        Topology topo = Topology.of(t, new KernelReader(runner).hostToContainer(t));
        KernelTrace.Recording r;
        try (Journal journal = Journal.forHost(t.hostNs(), runner, warn);
             KernelTrace trace = KernelTrace.prepare(journal)) {
            trace.start();
            Thread.sleep(window.toMillis());
            r = trace.stop();
        }
        if (r.note() != null) {
            note.accept(r.note());
        }
        // Any task's: the traffic is the user's own programs', not this process's.
        List<KernelEvent> events = KernelMatch.match(r.events(), Set.of(), topo, Verifier.devices(topo));
        return new KernelReader(runner).read(t).withDecisions(events);
    }

    public static String json(KernelFacts k) {
        return FactsJson.writeFile(k, Version.version());
    }
}
