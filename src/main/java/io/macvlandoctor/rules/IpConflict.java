package io.macvlandoctor.rules;

import static io.macvlandoctor.model.Direction.IN;
import static io.macvlandoctor.model.Role.SHIM;

import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** ip-conflict: two devices answer for the container's (or the host's) address: the entry may flip at any time. */
final class IpConflict implements Rule {
    @Override
    public Cause cause() {
        return Cause.IP_CONFLICT;
    }

    @Override
    public Stage stage() {
        return Stage.FILTERS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        List<Diagnosis> out = new ArrayList<>();
        var ex = c.run().exchanges();
        long ctrMac = c.k().containerIface() == null ? 0 : c.k().containerIface().macBits();
        long shimMac = c.k().shim() == null ? 0 : c.k().shim().macBits();
        for (Exchange e : new Exchange[] {ex.hostAsk(), ex.hostResolve()}) {
            if (conflict(c, e, ctrMac, "the container's", out)) {
                break;
            }
        }
        Exchange ck = ex.containerKernelResolve(new Topology.Addressing(c.family(), c.ctr(), c.host(), null, null));
        for (Exchange e : new Exchange[] {ex.containerResolve(), ck}) {
            if (conflict(c, e, shimMac, "the host's", out)) {
                break;
            }
        }
        return out;
    }

    private boolean conflict(Case c, Exchange e, long expected, String whose, List<Diagnosis> out) {
        if (e == null) {
            return false;
        }
        Map<Long, List<Frame>> byMac = new LinkedHashMap<>();
        for (Frame r : e.replies()) {
            long mac = r.senderMac() != 0 ? r.senderMac() : r.srcMac();
            byMac.computeIfAbsent(mac, x -> new ArrayList<>()).add(r);
        }
        if (byMac.size() < 2) {
            return false;
        }
        List<Frame> ev = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        for (Map.Entry<Long, List<Frame>> m : byMac.entrySet()) {
            // Each answer as the asker received it (shim ingress) when it was seen there.
            ev.add(m.getValue().stream().filter(x -> x.seenAt(SHIM, IN)).findFirst().orElse(m.getValue().get(0)));
            facts.add(e.responder() + " is-at " + Mac.format(m.getKey()) + (m.getKey() == expected ? " (expected)" : "")
                    + ", seen " + PathChecks.seen(m.getValue()));
        }
        out.add(new Diagnosis(cause(), c.family(), "two devices answer for " + whose + " address " + e.responder()
                + ": " + byMac.keySet().stream().map(Mac::format).collect(Collectors.joining(" and "))
                + "; the neighbour entry can flip to the other device at any time", facts, ev, List.of(),
                List.of("the fix is off the host: give the other device another address, exclude " + e.responder()
                        + " from the DHCP pool, or keep Docker's addresses out of it (docker network create "
                        + "--ip-range to a part of the subnet the DHCP server does not hand out, --aux-address to "
                        + "reserve single addresses)")));
        return true;
    }
}
