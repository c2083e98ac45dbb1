package io.macvlandoctor.engine;

import io.macvlandoctor.Version;
import io.macvlandoctor.model.KernelFacts;
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

    public static String json(KernelFacts k) {
        return FactsJson.writeFile(k, Version.version());
    }
}
