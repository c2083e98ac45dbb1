package io.macvlandoctor.rules;

import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Sysctl;
import java.util.ArrayList;
import java.util.List;

/**
 * ndp-proxy: IPv6 has no ARP flux: the kernel answers a solicitation only for addresses on the receiving interface,
 * so the address-less shim answers for the host's address only by proxy NDP: proxy_ndp, forwarding (the kernel
 * proxies only on forwarding interfaces) and a proxy entry. Each piece alone fails.
 */
final class NdpProxy implements Rule {
    @Override
    public Cause cause() {
        return Cause.NDP_PROXY;
    }

    @Override
    public Stage stage() {
        return Stage.SETTINGS;
    }

    @Override
    public List<Diagnosis> diagnose(Case c) {
        KernelFacts k = c.k();
        String shim = c.shim();
        IpAddress host = k.hostIp(Family.V6);
        if (c.family() != Family.V6 || !c.run().resolveFailed() || host == null
                || c.foundFor(Cause.IPV6_DISABLED) != null) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        int proxyNdp = Math.max(k.sysctl(Sysctl.conf6(shim, "proxy_ndp")), k.sysctl(Sysctl.conf6("all", "proxy_ndp")));
        int fwd = k.sysctl(Sysctl.conf6(shim, "forwarding"));
        boolean entry = Fixes.hasProxy(k, host, shim);
        facts.add(Sysctl.conf6(shim, "proxy_ndp") + "=" + k.sysctl(Sysctl.conf6(shim, "proxy_ndp")) + " (all="
                + k.sysctl(Sysctl.conf6("all", "proxy_ndp")) + ")");
        facts.add(Sysctl.conf6(shim, "forwarding") + "=" + fwd);
        facts.add(entry ? "proxy entry " + host + " dev " + shim : "no proxy entry for " + host + " on " + shim);
        if (proxyNdp == 0) {
            missing.add("proxy_ndp on " + shim);
        }
        if (fwd == 0) {
            missing.add("forwarding on " + shim + " (the kernel proxies only on forwarding interfaces)");
        }
        if (!entry) {
            missing.add("a proxy entry for " + host);
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), Family.V6, "IPv6 has no ARP flux: the kernel answers a solicitation "
                + "only for addresses on the receiving interface, so " + shim + " answers for the host's " + host
                + " only through proxy NDP; missing: " + String.join(", ", missing), facts,
                Evidence.arrivedUnanswered(c.run().exchanges().containerResolve()), Fixes.proxyNdp(c, shim, false),
                List.of("proxied answers wait up to net.ipv6.neigh." + shim + ".proxy_delay (0.8 s by default): it "
                        + "is set to 0 on the shim; forwarding on the shim alone does not forward between other "
                        + "interfaces (all.forwarding stays as it is) and stops it accepting router advertisements, "
                        + "which the shim does not need")));
    }

    @Override
    public List<Diagnosis> fromFrames(FramesCase c) {
        var ev = ArpIgnore.unansweredOnShim(c);
        if (ev.isEmpty() || c.run().family() != Family.V6) {
            return List.of();
        }
        return List.of(new Diagnosis(cause(), Family.V6, "the container's neighbour solicitation for " + c.host()
                + " reached " + c.shim() + " and went unanswered while the host reaches the container through the "
                + "shim: proxy NDP is not set up on the shim (proxy_ndp, forwarding and a proxy entry for the host's "
                + "address)", List.of(), ev, List.of(), List.of("on the host: macvlan-doctor diagnose prints the "
                        + "exact commands")));
    }
}
