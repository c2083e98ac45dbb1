package io.macvlandoctor.engine;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.Target;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.Sysctls;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How long the kernel's own timers may hold back a correct answer, so that a probe does not call a healthy path
 * broken: a proxied neighbour advertisement waits a random time up to proxy_delay (in 1/100 s; the kernel's
 * default 80 is 0.8 s, longer than a probe's 300 ms), and an address still in duplicate address detection cannot
 * be used until DAD ends. Each wait is bounded and said in the report.
 */
final class KernelWaits {
    /** No kernel timer is waited for longer than this. */
    static final long MAX_NS = 2_000_000_000L;

    private final Target t;
    private final ProcessRunner runner;
    private final Map<Family, Long> byFamily;
    private final List<String> notes;

    private KernelWaits(Target t, ProcessRunner runner, Map<Family, Long> byFamily, List<String> notes) {
        this.t = t;
        this.runner = runner;
        this.byFamily = byFamily;
        this.notes = notes;
    }

    static KernelWaits of(Target t, ProcessRunner runner) {
        Map<Family, Long> waits = new EnumMap<>(Family.class);
        List<String> notes = new ArrayList<>();
        if (t.families().contains(Family.V6) && t.shim() != null) {
            String name = Sysctl.neigh6(t.shim().name(), "proxy_delay");
            Integer delay = new Sysctls(t.hostNs()).read(List.of(name)).get(name);
            if (delay != null && delay > 0) {
                // USER_HZ is 100: the value is in hundredths of a second; a little more for the answer to travel.
                long ns = Math.min(MAX_NS, delay * 10_000_000L + 50_000_000L);
                waits.put(Family.V6, ns);
                notes.add("the container's IPv6 probes waited up to " + String.format(java.util.Locale.ROOT, "%.2f",
                        ns / 1e9) + " s more for proxied neighbour advertisements (" + name + "=" + delay
                        + (delay == 80 ? ", the kernel's default" : "") + ")");
            }
        }
        return new KernelWaits(t, runner, waits, notes);
    }

    Map<Family, Long> byFamily() {
        return byFamily;
    }

    List<String> notes() {
        return notes;
    }

    /**
     * Waits for duplicate address detection on the shim and the container's interface to end (a shim created a
     * moment ago, a container just started): a tentative address sends and answers no solicitation. At most
     * MAX_NS; said when it was waited for.
     */
    void awaitAddresses() throws InterruptedException {
        if (!t.families().contains(Family.V6)) {
            return;
        }
        List<Ip> sides = new ArrayList<>();
        List<String> devs = new ArrayList<>();
        if (t.shim() != null) {
            sides.add(new Ip(t.hostNs(), runner));
            devs.add(t.shim().name());
        }
        if (t.containerIface() != null && t.containerNs() != null) {
            sides.add(new Ip(t.containerNs(), runner));
            devs.add(t.containerIface().name());
        }
        long start = System.nanoTime();
        boolean waited = false;
        for (int i = 0; i < sides.size(); i++) {
            while (sides.get(i).tentative(devs.get(i)) && System.nanoTime() - start < MAX_NS) {
                waited = true;
                Thread.sleep(50);
            }
        }
        if (waited) {
            notes.add("waited " + (System.nanoTime() - start) / 1_000_000 + " ms for duplicate address detection on "
                    + String.join(" and ", devs) + " to end");
        }
    }
}
