package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.analysis.ProbeExchanges;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.RouteLookup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * unexplained: no rule matched. Never a guess: where the frames show the path stops, the facts that were read and
 * the last decision the kernel recorded for the probes.
 */
final class Unexplained implements Rule {
    @Override
    public Cause cause() {
        return Cause.UNEXPLAINED;
    }

    @Override
    public Stage stage() {
        return Stage.FALLBACK;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        List<String> facts = new ArrayList<>();
        facts.add(Evidence.linkFact(c.k().parent()));
        facts.add(c.k().shim() == null ? "no shim" : Evidence.linkFact(c.k().shim()));
        facts.add(RouteLookup.describe(c.k().hostToContainer().get(c.family()), c.ctr()));
        List<KernelEvent> last = c.ctx().kernel().stream().max(Comparator.comparingLong(KernelEvent::timeNs))
                .map(List::of).orElse(List.of());
        Diagnosis d = of(c.run(), facts, last.isEmpty() ? "the kernel recorded no decision about the probes"
                : "the last decision the kernel recorded: " + last.get(0).describe());
        return List.of(d.withKernel(last));
    }

    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        return List.of(of(c.run(), List.of("no kernel facts: analyze --facts FILE (written by macvlan-doctor facts on "
                + "the host) lets the diagnosis name the cause"), null));
    }

    /** The container's path to the LAN failed and no LAN rule explains it: the checks, and the parent as it is. */
    static Diagnosis lan(Case c) {
        List<CheckId> failed = c.run().lan().checks().stream().filter(x -> x.status() == CheckStatus.FAIL)
                .map(CheckResult::id).toList();
        List<String> notes = new ArrayList<>();
        if (failed.stream().anyMatch(id -> id.kind() == CheckId.Kind.LAN_SRC_MAC)) {
            notes.add("something on the way out of " + c.parent() + " rewrites the container's source MAC: look "
                    + "for egress rules on it (nft list ruleset, tables of the netdev family; tc filter show dev "
                    + c.parent() + " egress) and for a bond or bridge in between");
        }
        if (failed.stream().anyMatch(id -> id.kind() != CheckId.Kind.LAN_SRC_MAC)) {
            notes.add("compare with the host's own ping to the peer, and capture on the peer's side (or the switch "
                    + "port) to see where the container's frames stop");
        }
        return new Diagnosis(Cause.UNEXPLAINED, c.family(), "no known cause explains the failure of "
                + failed.stream().map(CheckId::id).collect(Collectors.joining(", ")), List.of(Lan.nicFact(c)),
                Lan.frames(c.run().lan().peers()), List.of(), notes);
    }

    /** Where the frames show the path stops: the last point each failed probe was seen, and what was expected next. */
    static Diagnosis of(FamilyRun run, List<String> facts, String kernelNote) {
        List<String> stops = new ArrayList<>();
        List<Frame> ev = new ArrayList<>();
        ProbeExchanges p = run.exchanges();
        String resolve = run.family() == Family.V4 ? "ARP request" : "solicitation";
        String[][] labels = {{"the host's echo", "the container's reply"},
            {"the container's " + resolve, "the shim's answer"}, {"the container's echo", "the host's reply"}};
        Exchange[] probes = {p.hostEcho(), p.containerResolve(), p.containerEcho()};
        for (int i = 0; i < probes.length; i++) {
            Exchange e = probes[i];
            if (e == null || e.requests().isEmpty()) {
                continue;
            }
            List<Frame> all = PathChecks.concat(e.requests(), e.replies());
            Frame last = all.stream().max(Comparator.comparingLong(Frame::timeNs)).orElseThrow();
            if (e.replies().isEmpty()) {
                ev.add(last);
                stops.add(labels[i][0] + " was last seen at " + PathChecks.place(last) + "; expected next: "
                        + labels[i][1]);
            } else if (run.checks().stream().anyMatch(x -> x.status() == CheckStatus.FAIL
                    && x.evidence().contains(last))) {
                ev.add(last);
                stops.add("the answer to " + labels[i][0] + " was last seen at " + PathChecks.place(last)
                        + " and went no further");
            }
        }
        String failed = run.checks().stream().filter(x -> x.status() == CheckStatus.FAIL).map(x -> x.id().id())
                .collect(Collectors.joining(", "));
        List<String> notes = new ArrayList<>();
        if (kernelNote != null) {
            notes.add(kernelNote);
        }
        notes.add("the facts read are listed under facts; `macvlan-doctor facts --output FILE` and the pcapng export "
                + "(--pcapng FILE) hold everything for a closer look");
        return new Diagnosis(Cause.UNEXPLAINED, run.family(), "no known cause explains the failure of " + failed
                + (stops.isEmpty() ? "" : ": " + String.join("; ", stops)), facts, ev, List.of(), notes);
    }
}
