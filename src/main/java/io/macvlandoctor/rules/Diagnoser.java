package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The diagnosis: the rules of {@link Rules#ALL}, stage by stage. A stage that stops when it finds a cause (the ends
 * of the path, Docker) ends the diagnosis there; the per-family stages run for each family with a failed check, the
 * shim's stages only while the shim can carry frames at all, and the fallback only for a family nothing explained.
 * Hazards are reported whether or not the path works. Pure.
 */
public final class Diagnoser {
    private Diagnoser() {
    }

    public static List<Diagnosis> diagnose(Context ctx) {
        List<Diagnosis> out = new ArrayList<>();
        if (ctx.runs().stream().anyMatch(r -> r.notPassed() || r.lanFailed())) {
            causes(ctx, out);
        }
        for (Rule r : Rules.ALL) {
            out.addAll(r.hazards(ctx));
        }
        return out;
    }

    private static void causes(Context ctx, List<Diagnosis> out) {
        for (Stage s : Stage.values()) {
            if (s.perFamily()) {
                continue;
            }
            int before = out.size();
            run(s, new Case(ctx, null, out), out);
            if (s.stopsWhenFound() && out.size() > before) {
                return;
            }
            if (s == Stage.ENDS && ctx.runs().stream().noneMatch(r -> r.anyFailed() || r.lanFailed())) {
                // Only unproven: the ends of the path are what can explain that; nothing else is judged.
                return;
            }
        }
        for (FamilyRun run : ctx.runs()) {
            if (!run.anyFailed()) {
                continue;
            }
            for (Stage s : Stage.values()) {
                if (!s.perFamily() || s == Stage.LAN) {
                    continue;
                }
                Case c = new Case(ctx, run, out);
                boolean explained = out.stream().anyMatch(d -> d.family() == null || d.family() == run.family());
                if (s.needsUsableShim() && !c.shimUsable() || s == Stage.FALLBACK && explained) {
                    continue;
                }
                run(s, c, out);
            }
        }
        // The LAN half, per family whose LAN checks failed; what no LAN rule explains is said as unexplained.
        for (FamilyRun run : ctx.runs()) {
            if (!run.lanFailed()) {
                continue;
            }
            int before = out.size();
            run(Stage.LAN, new Case(ctx, run, out), out);
            if (out.size() == before) {
                out.add(Unexplained.lan(new Case(ctx, run, List.copyOf(out))));
            }
        }
    }

    private static void run(Stage s, Case c, List<Diagnosis> out) {
        for (Rule r : Rules.ALL) {
            if (r.stage() == s) {
                out.addAll(r.diagnose(new Case(c.ctx(), c.run(), List.copyOf(out))));
            }
        }
    }

    /**
     * When only frames are known (someone else's capture, no facts file): each rule says what the frames prove
     * and no more, and prints no command (without the host's names and state a command could be wrong).
     */
    public static List<Diagnosis> fromFrames(Topology t, Coverage cov, List<FamilyRun> runs) {
        List<Diagnosis> out = new ArrayList<>();
        for (FamilyRun run : runs) {
            if (run.lanFailed()) {
                FramesCase lan = new FramesCase(t, cov, run);
                for (Rule r : Rules.ALL) {
                    if (r.stage() == Stage.LAN) {
                        out.addAll(r.fromFrames(lan));
                    }
                }
            }
            if (!run.anyFailed()) {
                continue;
            }
            FramesCase c = new FramesCase(t, cov, run);
            for (Stage s : Stage.values()) {
                int before = out.size();
                if (s == Stage.LAN || s == Stage.FALLBACK && out.stream().anyMatch(d -> d.family() == run.family())) {
                    break;
                }
                for (Rule r : Rules.ALL) {
                    if (r.stage() == s) {
                        out.addAll(r.fromFrames(c));
                    }
                }
                // A shim the frames never reached explains the rest of the family.
                if (s == Stage.SHIM && out.size() > before) {
                    break;
                }
            }
        }
        return out;
    }
}
