package io.macvlandoctor.analysis;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one judge of a run's frames: correlate them across the capture points, pick each family's exchanges, judge
 * the checks. verify (one container or many), analyze, the shell and the tests all call it. Pure.
 */
public final class Judge {
    private Judge() {
    }

    /** Each family's exchanges and checks, and the exchanges as a report lists them. */
    public record Judgement(List<FamilyRun> runs, List<Phase.Labelled> labelled) {
        public Judgement {
            runs = List.copyOf(runs);
            labelled = List.copyOf(labelled);
        }

        /** Every family's host-path checks, then every family's LAN checks. */
        public List<CheckResult> checks() {
            List<CheckResult> l = new ArrayList<>();
            runs.forEach(r -> l.addAll(r.checks()));
            runs.forEach(r -> l.addAll(r.lan().checks()));
            return l;
        }

        public FamilyRun run(Family f) {
            return runs.stream().filter(r -> r.family() == f).findFirst().orElse(null);
        }
    }

    /**
     * @param ids the run's probe ids; null for frames of someone else's capture (the latest exchange of each kind
     *     is judged)
     */
    public static Judgement judge(Topology topo, Coverage cov, List<Frame> frames, ProbeIds ids,
                                  Map<Family, ProbeOutcome> outcomes) {
        List<Exchange> all = Correlator.correlate(frames);
        List<FamilyRun> runs = new ArrayList<>();
        List<Phase.Labelled> labelled = new ArrayList<>();
        for (Topology.Addressing a : topo.addressing()) {
            ProbeExchanges ex = ProbeExchanges.select(a, ids, all);
            LanChecks.Result lan = LanChecks.evaluate(topo, a, cov, ids, all);
            runs.add(new FamilyRun(a.family(), ex, PathChecks.evaluate(topo, a.family(), cov, ex,
                    outcomes.getOrDefault(a.family(), ProbeOutcome.UNKNOWN)), lan));
            labelled.addAll(ex.labelled());
        }
        for (FamilyRun r : runs) {
            labelled.addAll(r.lan().labelled(r.family()));
        }
        return new Judgement(runs, labelled);
    }
}
