package io.macvlandoctor.model;

import java.util.List;

/**
 * Everything a run found, for the text, JSON and JUnit renderers.
 *
 * @param phases the probe rounds in order ("before the fix", "after the fix", or one)
 * @param setup what was changed and undone, one line each (empty without --setup)
 * @param systemFacts the kernel facts behind the diagnosis, one line each (empty when not gathered)
 * @param hostFacts the same facts as data (null when not gathered)
 */
public record Report(String command, PathFacts facts, List<Phase> phases, List<CheckResult> checks,
                     List<Diagnosis> diagnosis, List<String> setup, List<String> systemFacts, HostFacts hostFacts) {
    public Report {
        phases = List.copyOf(phases);
        checks = List.copyOf(checks);
        diagnosis = List.copyOf(diagnosis);
        setup = List.copyOf(setup);
        systemFacts = List.copyOf(systemFacts);
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL) && diagnosis.isEmpty();
    }

    public long count(CheckStatus s) {
        return checks.stream().filter(c -> c.status() == s).count();
    }
}
