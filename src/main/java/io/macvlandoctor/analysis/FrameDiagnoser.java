package io.macvlandoctor.analysis;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Direction.OUT;
import static io.macvlandoctor.model.Role.PARENT;
import static io.macvlandoctor.model.Role.SHIM;
import static io.macvlandoctor.model.Role.WIRE;

import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.PathFacts;
import io.macvlandoctor.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The diagnosis when only frames are known (someone else's capture): each rule says what the frames prove and
 * no more, and says when the kernel's facts (`diagnose` on the host) would tell two causes apart.
 */
public final class FrameDiagnoser {
    private FrameDiagnoser() {
    }

    public static List<Diagnosis> diagnose(PathFacts f, ProbeExchanges p, List<CheckResult> checks) {
        Map<String, CheckStatus> st = checks.stream()
                .collect(Collectors.toMap(CheckResult::id, CheckResult::status, (a, b) -> b));
        List<Diagnosis> out = new ArrayList<>();
        boolean hostFailed = st.get(PathChecks.HOST_ICMP) == CheckStatus.FAIL;
        boolean hostPassed = st.get(PathChecks.HOST_ICMP) == CheckStatus.PASS;
        boolean fluxFailed = st.get(PathChecks.CONTAINER_ARP_FLUX) == CheckStatus.FAIL;
        String ctr = f.container().ipText();
        String host = f.parent().ipText();
        String shim = f.shim() == null ? "macvlan0-host" : f.shim().name();
        String parent = f.parent().name();

        Exchange ca = p.containerArp();
        boolean reachedShim = ca != null && ca.requestSeenAt(SHIM, IN);
        if (fluxFailed && ca != null && ca.replies().isEmpty() && !reachedShim) {
            List<Frame> ev = ca.requests();
            if (f.captured().contains(SHIM)) {
                out.add(new Diagnosis(Diagnoser.SHIM_MODE, "the container's broadcast who-has " + host + " never "
                        + "reached " + shim + " although it was captured: the shim is not a bridge-mode macvlan of the "
                        + "container's parent (shim-mode; or it was down)", List.of(), ev,
                        List.of("ip link del " + shim, "ip link add link " + parent + " name " + shim
                                + " type macvlan mode bridge", "ip link set " + shim + " up",
                                "ip route add " + ctr + " dev " + shim)));
            } else {
                out.add(new Diagnosis(Diagnoser.NO_SHIM, "nothing on the host answered the container's who-has "
                        + host + " (seen " + PathChecks.seen(ev) + "), and no shim was captured: the host has no "
                        + "bridge-mode macvlan on " + parent + ", or it is down (no-shim or shim-down: `diagnose` on "
                        + "the host tells which)", List.of(), ev,
                        List.of("ip link add link " + parent + " name " + shim + " type macvlan mode bridge",
                                "ip link set " + shim + " up", "ip route add " + ctr + " dev " + shim)));
            }
            return out;
        }

        List<Frame> viaParent = new ArrayList<>();
        for (Exchange e : new Exchange[] {p.hostArp(), p.hostEcho()}) {
            if (e != null) {
                e.requests().stream().filter(x -> x.seenAt(PARENT, OUT) || x.seenAt(WIRE, IN)).forEach(viaParent::add);
            }
        }
        if (p.containerEcho() != null) {
            p.containerEcho().replies().stream().filter(x -> x.seenAt(PARENT, OUT) || x.seenAt(WIRE, IN))
                    .forEach(viaParent::add);
        }
        if ((hostFailed || st.get(PathChecks.CONTAINER_ICMP) == CheckStatus.FAIL) && !viaParent.isEmpty()) {
            Frame first = viaParent.get(0);
            out.add(new Diagnosis(Diagnoser.NO_ROUTE, "the host sent to " + ctr + " through " + parent + ": its "
                    + (first.kind().isArp() ? "ARP request for the container" : first.summary()) + " left through "
                    + parent + " (egress on the parent" + (viaParent.stream().anyMatch(x -> x.seenAt(WIRE, IN))
                            ? ", seen on the wire" : "") + ") instead of the shim, so the host has no route to the "
                    + "container through the shim (no-route or route-mismatch: the frames cannot tell which, "
                    + "`diagnose` on the host can)", List.of(), viaParent,
                    List.of("ip route add " + ctr + " dev " + shim + "   (and delete a mistyped route through "
                            + shim + ", if there is one)")));
        }
        if (fluxFailed && reachedShim && hostPassed) {
            out.add(new Diagnosis(Diagnoser.ARP_IGNORE, "the container's who-has " + host + " reached " + shim
                    + " and went unanswered while the host reaches the container through the shim: the host answers "
                    + "ARP only for addresses on the receiving interface (arp_ignore of 1 or more; arp_filter and "
                    + "rp_filter would need a wrong route, which the working echo rules out)", List.of(),
                    ca.requests().stream().filter(x -> x.point().role() == Role.SHIM).toList(),
                    List.of("sysctl -w net.ipv4.conf.all.arp_ignore=0", "sysctl -w net.ipv4.conf." + shim
                            + ".arp_ignore=0")));
        }
        return out;
    }
}
