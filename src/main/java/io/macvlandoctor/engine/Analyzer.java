package io.macvlandoctor.engine;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.analysis.Directions;
import io.macvlandoctor.analysis.Judge;
import io.macvlandoctor.capture.CaptureFileReader;
import io.macvlandoctor.capture.CaptureFormatException;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.CaptureStats;
import io.macvlandoctor.model.Coverage;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Endpoint;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Phase;
import io.macvlandoctor.model.ProbeOutcome;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.model.Topology;
import io.macvlandoctor.report.FactsJson;
import io.macvlandoctor.rules.Context;
import io.macvlandoctor.rules.Diagnoser;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * analyze: the same correlation, checks and diagnosis as a live run, on capture files. Files are streamed and only
 * ARP, ICMP and ICMPv6 frames are kept, so memory follows the traffic that matters, not the size of the files. The
 * facts the checks compare with come from our own export (recorded with its frames), from a facts file written by
 * `facts` on the host, or from the options; never from the frames being judged.
 */
public final class Analyzer {
    /**
     * One --capture: a file (or stdin), and the role and direction of its frames when the file does not say.
     *
     * @param role null: the file is our own pcapng export, whose interfaces say their roles
     * @param file null: standard input
     */
    public record Input(Role role, Direction direction, Path file) {
        String name() {
            return file == null ? "-" : file.toString();
        }
    }

    /**
     * What the user gave besides the captures.
     *
     * @param kernel the kernel facts of a facts file (--facts), or null
     * @param containerIp --container-ip, or null
     * @param hostIp --host-ip, or null
     * @param shimMac --shim-mac, 0 when not given
     * @param parentMac --parent-mac, 0 when not given
     */
    public record Facts(KernelFacts kernel, IpAddress containerIp, IpAddress hostIp, long shimMac, long parentMac) {
        public static final Facts NONE = new Facts(null, null, null, 0, 0);
    }

    private final InputStream stdin;

    public Analyzer(InputStream stdin) {
        this.stdin = stdin;
    }

    public Report analyze(List<Input> inputs, Facts given) {
        List<Frame> kept = new ArrayList<>();
        Set<CapturePoint> points = new LinkedHashSet<>();
        Map<CapturePoint, Long> counts = new LinkedHashMap<>();
        FactsJson.Recorded recorded = null;
        long total = 0;
        List<String> fileNotes = new ArrayList<>();
        Set<Role> cut = EnumSet.noneOf(Role.class);
        for (Input in : inputs) {
            try (CaptureFileReader r = in.file() == null
                    ? CaptureFileReader.open(stdin, "-", in.role(), in.direction(), true)
                    : CaptureFileReader.open(in.file(), in.role(), in.direction(), true)) {
                for (Frame f; (f = r.next()) != null; ) {
                    kept.add(f);
                }
                points.addAll(r.points());
                r.counts().forEach((p, n) -> counts.merge(p, n, Long::sum));
                total += r.framesRead();
                FactsJson.Recorded d = decode(r);
                if (d != null && recorded == null) {
                    recorded = d;
                }
                fileNotes.addAll(r.notes());
                if (r.truncation() != null) {
                    // What the file lost cannot be judged: its points are not whole.
                    fileNotes.add(r.truncation() + "; checks that need what is missing are unproven");
                    r.points().forEach(p -> cut.add(p.role()));
                }
            }
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        points.forEach(p -> roles.add(p.role()));
        List<String> notes = new ArrayList<>();
        notes.add(total + " frames read from " + inputs.size() + " file" + (inputs.size() == 1 ? "" : "s") + ", "
                + kept.size() + " of them ARP, ICMP or ICMPv6");
        notes.addAll(fileNotes);

        Topology topo;
        KernelFacts kernel = null;
        Map<Family, ProbeOutcome> outcomes = Map.of();
        Coverage cov;
        if (given.kernel() != null) {
            kernel = given.kernel();
            topo = override(Topology.of(kernel), given);
            cov = Coverage.of(roles);
            notes.add("facts: from the facts file (--facts)");
        } else if (recorded != null) {
            topo = override(recorded.topology(), given);
            kernel = recorded.kernel();
            outcomes = recorded.outcomes();
            Set<Role> both = EnumSet.noneOf(Role.class);
            both.addAll(recorded.coverage().captured());
            both.retainAll(roles);
            cov = new Coverage(both, recorded.coverage().lost(), recorded.coverage().dropped());
            notes.add("facts: as recorded by macvlan-doctor with the capture");
        } else {
            topo = fromOptions(given, points);
            cov = Coverage.of(roles);
            notes.add("facts: from the options only (no facts file): " + known(topo));
        }
        if (!cut.isEmpty()) {
            Set<Role> lost = EnumSet.copyOf(cut);
            lost.addAll(cov.lost());
            cov = new Coverage(cov.captured(), lost, cov.dropped());
        }
        Directions.Result dirs = Directions.infer(kept, topo);
        notes.addAll(dirs.notes());
        List<Frame> frames = dirs.frames();

        Judge.Judgement j = Judge.judge(topo, cov, frames, null, outcomes);
        List<Diagnosis> diagnosis = kernel != null
                ? Diagnoser.diagnose(new Context(kernel, j.runs(), Set.of(), Set.of(), null, kernel.decisions()))
                : Diagnoser.fromFrames(topo, cov, j.runs());
        List<CaptureStats> stats = new ArrayList<>();
        for (CapturePoint p : points) {
            stats.add(new CaptureStats(p, Direction.UNKNOWN, -1, -1, -1, counts.getOrDefault(p, 0L)));
        }
        Phase phase = new Phase("captures", j.labelled(), stats, frames, outcomes, cov);
        return new Report("analyze", topo, List.of(phase), j.checks(), diagnosis, List.of(), notes, kernel, null);
    }

    /** The facts a file of ours recorded; facts of ours that cannot be read are bad input, not a guess. */
    private static FactsJson.Recorded decode(CaptureFileReader r) {
        List<String> texts = new ArrayList<>();
        long offset = -1;
        for (CaptureFileReader.SectionComment c : r.sectionComments()) {
            if (FactsJson.isOurs(c.text())) {
                texts.add(c.text());
                offset = offset < 0 ? c.offset() : offset;
            }
        }
        if (texts.isEmpty()) {
            return null;
        }
        try {
            return FactsJson.decodeComments(texts);
        } catch (IllegalArgumentException e) {
            throw new CaptureFormatException(r.name(), offset, "the facts in the section header are unreadable ("
                    + e.getMessage() + ")");
        }
    }

    /** The options win over the facts they name. */
    private static Topology override(Topology t, Facts g) {
        if (g.containerIp() == null && g.hostIp() == null && g.shimMac() == 0 && g.parentMac() == 0) {
            return t;
        }
        List<Topology.Addressing> fams = new ArrayList<>();
        for (Topology.Addressing a : t.addressing()) {
            IpAddress ctr = g.containerIp() != null && g.containerIp().family() == a.family() ? g.containerIp()
                    : a.container();
            IpAddress host = g.hostIp() != null && g.hostIp().family() == a.family() ? g.hostIp() : a.host();
            fams.add(new Topology.Addressing(a.family(), ctr, host, a.expectedSrcIp(), a.routeDev()));
        }
        Endpoint shim = t.shim();
        if (g.shimMac() != 0) {
            shim = shim == null ? new Endpoint("<shim>", g.shimMac(), null, null, null, true)
                    : new Endpoint(shim.name(), g.shimMac(), shim.ip(), shim.ipv6(), shim.mode(), shim.up());
        }
        Endpoint p = t.parent();
        Endpoint parent = g.parentMac() == 0 ? p : new Endpoint(p.name(), g.parentMac(), p.ip(), p.ipv6(), p.mode(),
                p.up());
        return new Topology(parent, shim, t.container(), fams);
    }

    /**
     * Without facts: the container's address is needed to pick its exchanges; everything else the options leave
     * out stays unknown, and the checks that need it are unproven.
     */
    private static Topology fromOptions(Facts g, Set<CapturePoint> points) {
        if (g.containerIp() == null) {
            throw new UsageException("no facts for these captures: give --container-ip (and --host-ip, --shim-mac, "
                    + "--parent-mac to prove more), or --facts FILE written by `macvlan-doctor facts` on the host");
        }
        Family f = g.containerIp().family();
        if (g.hostIp() != null && g.hostIp().family() != f) {
            throw new UsageException("--host-ip " + g.hostIp() + " and --container-ip " + g.containerIp()
                    + " are of different families");
        }
        Endpoint parent = new Endpoint(name(points, Role.PARENT, "<parent>"), g.parentMac(),
                f == Family.V4 ? g.hostIp() : null, f == Family.V6 ? g.hostIp() : null, null, true);
        Endpoint shim = new Endpoint(name(points, Role.SHIM, "<shim>"), g.shimMac(), null, null, null, true);
        Endpoint ctr = new Endpoint(name(points, Role.CONTAINER, "<container>"), 0,
                f == Family.V4 ? g.containerIp() : null, f == Family.V6 ? g.containerIp() : null, null, true);
        return new Topology(parent, shim, ctr, List.of(new Topology.Addressing(f, g.containerIp(), g.hostIp(), null,
                null)));
    }

    private static String known(Topology t) {
        List<String> l = new ArrayList<>();
        for (Topology.Addressing a : t.addressing()) {
            l.add("container " + a.container());
            l.add("host " + (a.host() == null ? "unknown" : a.host()));
        }
        l.add("shim MAC " + (t.shim() == null || t.shim().mac() == 0 ? "unknown" : t.shim().macText()));
        l.add("parent MAC " + (t.parent().mac() == 0 ? "unknown" : t.parent().macText()));
        return String.join(", ", l);
    }

    private static String name(Set<CapturePoint> points, Role role, String dflt) {
        return points.stream().filter(p -> p.role() == role).map(CapturePoint::iface).findFirst().orElse(dflt);
    }
}
