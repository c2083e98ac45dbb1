package io.macvlandoctor.shell;

import io.macvlandoctor.engine.Workbench;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.report.Style;
import io.macvlandoctor.model.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What one shell session holds: its target (resolved once, then afresh for each probe), the frames its probes and
 * captures saw, a running capture, and the setups to undo when it ends.
 */
public final class Session {
    /** The session in use, for the commands (picocli instantiates those itself). */
    static volatile Session current;

    final TargetSpec spec;
    final List<String> targetArgs;
    final Workbench bench;
    private Target target;
    private final List<Frame> frames = new ArrayList<>();
    private final Set<CapturePoint> points = new LinkedHashSet<>();
    /** How ladders are drawn: box-drawing where the locale is UTF-8 (the terminal's, not --ascii's business). */
    final Style style = Style.PLAIN.withUnicode(Style.utf8Locale(System.getenv()));
    final Set<String> setupRuns = new LinkedHashSet<>();
    Workbench.Capture capture;
    volatile boolean exitRequested;
    /** Prints a line without disturbing the prompt (printAbove) or plainly when piped. */
    Consumer<String> printAbove = System.out::println;

    private Session(TargetSpec spec, List<String> targetArgs, Workbench bench) {
        this.spec = spec;
        this.targetArgs = List.copyOf(targetArgs);
        this.bench = bench;
    }

    /** Resolves the target once (a target that cannot be resolved is an error before the shell starts). */
    public static Session open(TargetSpec spec, List<String> targetArgs, Workbench bench) {
        Session s = new Session(spec, targetArgs, bench);
        s.target();
        return s;
    }

    /** The target, read from the kernel again: the shim may have appeared or gone since. */
    Target target() {
        target = bench.target();
        return target;
    }

    Target lastTarget() {
        return target != null ? target : target();
    }

    synchronized void add(List<Frame> more, List<CapturePoint> at) {
        frames.addAll(more);
        points.addAll(at);
    }

    synchronized void add(Frame f) {
        frames.add(f);
        points.add(f.point());
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized List<CapturePoint> points() {
        return List.copyOf(points);
    }

    /** The target's interfaces, for completion. */
    public List<String> interfaceNames() {
        Target t = target;
        List<String> l = new ArrayList<>();
        if (t != null) {
            l.add(t.parent().name());
            l.add(t.shimName());
            if (t.containerIface() != null) {
                l.add(t.containerIface().name());
            }
        }
        return l;
    }

    /** "host:ens33 ctr:192.168.136.240", for the prompt. */
    String label() {
        Target t = target;
        return t == null ? "?" : "host:" + t.parent().name() + " ctr:" + t.families().stream()
                .map(f -> t.containerIp(f).toString()).collect(Collectors.joining(","));
    }
}
