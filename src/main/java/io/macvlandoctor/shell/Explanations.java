package io.macvlandoctor.shell;

import java.util.Map;

/** One line on each check id and cause code, for `explain` (docs/troubleshooting.md has the long form). */
final class Explanations {
    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("isolation.host-to-container", "before the fix, the host cannot reach the container: the article's "
                    + "problem, shown by probing before setup"),
            Map.entry("host-to-container.icmp", "the host's echo to the container gets its reply"),
            Map.entry("host-to-container.src-mac-is-shim", "the host's request reaches the container from the shim's "
                    + "MAC: it left through the shim, as the route says"),
            Map.entry("host-to-container.src-ip", "its source address is the kernel's choice (ip route get): the "
                    + "parent's, or the shim's own when it has one; layers are independent"),
            Map.entry("host-to-container.reply-via-shim", "the container answers to the shim's MAC, so the reply "
                    + "enters the host through the shim"),
            Map.entry("container-to-host.arp-flux", "the container's who-has for the parent's address is answered "
                    + "with the shim's MAC (Linux answers ARP for any local address on any interface)"),
            Map.entry("container-to-host.icmp", "the container's echo to the host gets its reply"),
            Map.entry("path.parent-tap", "the parent sees the exchange between its children as ingress only "
                    + "(bridge-mode macvlan hands it to the parent's taps)"),
            Map.entry("path.stays-on-host", "no unicast frame between host and container leaves on the wire"),
            Map.entry("no-shim", "no macvlan on the parent in the host namespace: create one in bridge mode"),
            Map.entry("shim-down", "the shim is down, and the kernel dropped its routes"),
            Map.entry("shim-mode", "the shim is not in bridge mode: only bridge-mode children meet"),
            Map.entry("no-route", "no route to the container through the shim: the host uses the parent"),
            Map.entry("route-mismatch", "the route through the shim names a mistyped address (.140 for .240)"),
            Map.entry("arp-ignore", "arp_ignore >= 1: the address-less shim does not answer the container's ARP"),
            Map.entry("arp-filter", "arp_filter=1 with the container routed through the parent: the shim keeps quiet"),
            Map.entry("rp-filter", "strict rp_filter with the container routed through the parent: its packets are "
                    + "dropped on the shim"),
            Map.entry("parent-down", "the parent is down or has no carrier"),
            Map.entry("container-down", "the container's interface is down or gone"));

    private Explanations() {
    }

    static String of(String id) {
        return TEXT.get(id);
    }
}
