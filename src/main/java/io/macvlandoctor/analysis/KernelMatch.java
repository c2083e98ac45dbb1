package io.macvlandoctor.analysis;

import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which of the kernel's recorded decisions concern the probes of one container. Trace events are global: every
 * namespace's packets fire them, another run on the same machine may use the very same addresses. A route lookup
 * or a neighbour update is the probes' when the kernel ran it for one of our threads (or in the kernel's own
 * context: softirq on an idle CPU, ksoftirqd, a kworker) and it names the probe's addresses: a lookup between the
 * host and the container, an entry of either address on the path's devices. A drop names no address, so it is the
 * probes' only when it happened in one of our threads (our probes' packets are sent, and delivered through veth
 * and macvlan, in the sending thread), of a family the probes use, and not the background a healthy host always
 * has. Pure.
 */
public final class KernelMatch {
    private KernelMatch() {
    }

    /**
     * @param ownTids this process's thread ids; empty when not known (then the task is not judged)
     * @param devices the path's device names (parent, shim, container interface)
     */
    public static List<KernelEvent> match(List<KernelEvent> events, Set<Integer> ownTids, Topology topo,
                                          Set<String> devices) {
        List<KernelEvent> out = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (KernelEvent e : events) {
            boolean ours = e instanceof KernelEvent.Drop ? ownThread(e.task(), ownTids) : ours(e.task(), ownTids);
            if (!ours || !concerns(e, topo, devices)) {
                continue;
            }
            // Each decision once: a probe makes the same lookup several times over.
            if (seen.add(key(e))) {
                out.add(e);
            }
        }
        return out;
    }

    static boolean ours(String task, Set<Integer> ownTids) {
        if (ownTids.isEmpty()) {
            return true;
        }
        int pid = pid(task);
        String comm = task.substring(0, Math.max(0, task.lastIndexOf('-')));
        return ownTids.contains(pid) || pid == 0 || comm.startsWith("ksoftirqd/") || comm.startsWith("kworker/");
    }

    /** Run for one of our own threads (unknown threads: anyone's). */
    static boolean ownThread(String task, Set<Integer> ownTids) {
        return ownTids.isEmpty() || ownTids.contains(pid(task));
    }

    /** The thread id of a trace line's task ("java-4242"); -1 when there is none. */
    private static int pid(String task) {
        try {
            return Integer.parseInt(task.substring(task.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean concerns(KernelEvent e, Topology topo, Set<String> devices) {
        if (e instanceof KernelEvent.Lookup l) {
            for (Topology.Addressing a : topo.addressing()) {
                if (a.family() != l.family()) {
                    continue;
                }
                boolean fromHost = l.dst().equals(a.container()) && (l.src().isUnspecified()
                        || l.src().equals(a.host()) || l.src().equals(a.expectedSrcIp()));
                boolean fromCtr = l.dst().equals(a.host()) && (l.src().isUnspecified()
                        || l.src().equals(a.container()));
                if (fromHost || fromCtr) {
                    return true;
                }
            }
            return false;
        }
        if (e instanceof KernelEvent.Neigh n) {
            return devices.contains(n.dev()) && topo.addressing().stream().anyMatch(a -> n.ip().equals(a.container())
                    || n.ip().equals(a.host()));
        }
        KernelEvent.Drop d = (KernelEvent.Drop) e;
        return !background(d) && topo.addressing().stream().anyMatch(a -> a.family() == d.family());
    }

    /**
     * Drops every host has, healthy or not: an echo reply that no ping socket wants (our raw sockets took it),
     * IPv6 multicast for groups nobody joined.
     */
    static boolean background(KernelEvent.Drop d) {
        return d.reason().equals("NO_SOCKET") && d.location().startsWith("ping_rcv")
                || d.reason().equals("NOT_SPECIFIED") && d.location().startsWith("ip6_mc_input");
    }

    private static List<Object> key(KernelEvent e) {
        if (e instanceof KernelEvent.Lookup l) {
            return List.of("lookup", l.family(), l.table(), l.src(), l.dst(), l.dev(), l.err(), l.iif());
        }
        if (e instanceof KernelEvent.Neigh n) {
            return List.of("neigh", n.dev(), n.ip(), Objects.toString(n.lladdr()), n.state(),
                    Objects.toString(n.newLladdr()), Objects.toString(n.newState()));
        }
        KernelEvent.Drop d = (KernelEvent.Drop) e;
        return List.of("drop", d.protocol(), d.location(), d.reason());
    }
}
