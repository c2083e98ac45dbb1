package io.macvlandoctor.model;

/**
 * The cause codes (docs/design.md, the contract), each spelled here once, with what it means (for `explain` and the docs check).
 * docs/troubleshooting.md has a section per code; docs/report.schema.json lists them.
 */
public enum Cause {
    NO_SHIM("no-shim", "no macvlan on the parent in the host namespace: create one in bridge mode"),
    SHIM_DOWN("shim-down", "the shim is down, and the kernel dropped its routes"),
    SHIM_MODE("shim-mode", "the shim is not in bridge mode: only bridge-mode children meet"),
    SHIM_PARENT("shim-parent", "the macvlan that carries the route to the container is a child of another parent"),
    POLICY_ROUTE("policy-route", "a policy rule (ip rule, as VPN clients add) sends the container's address to a table "
            + "that does not route it through the shim, although the main table does"),
    NO_ROUTE("no-route", "no route to the container through the shim: the host uses the parent"),
    ROUTE_MISMATCH("route-mismatch", "the route through the shim names a mistyped address (.140 for .240)"),
    ARP_IGNORE("arp-ignore", "arp_ignore >= 1: the address-less shim does not answer the container's ARP"),
    ARP_FILTER("arp-filter", "arp_filter=1 with the container routed through the parent: the shim keeps quiet"),
    RP_FILTER("rp-filter", "strict rp_filter with the container routed through the parent: its packets are dropped "
            + "on the shim"),
    NEIGHBOUR_ENTRY("neighbour-entry", "a static neighbour entry names a link-layer address that is not the one "
            + "answering for the address (a container or shim made again with a new MAC)"),
    IPV6_DISABLED("ipv6-disabled", "IPv6 is disabled on the shim (disable_ipv6): it has no link-local address and "
            + "takes no part in neighbour discovery"),
    NDP_PROXY("ndp-proxy", "IPv6 has no ARP flux: the shim answers for the host's address only with proxy_ndp, "
            + "forwarding and a proxy entry"),
    HOST_FIREWALL("host-firewall", "a netfilter rule (or icmp_echo_ignore_all) drops the probe on the host or in the "
            + "container"),
    IP_CONFLICT("ip-conflict", "another device answers for the container's (or the host's) address"),
    PARENT_DOWN("parent-down", "the parent is down, has no carrier, or its own lower device is down"),
    CONTAINER_DOWN("container-down", "the container's interface is down or gone"),
    PARENT_WIRELESS("parent-wireless", "the parent is a Wi-Fi interface: an access point accepts frames from the one MAC "
            + "it associated, not from the container's"),
    BOND_MAC_REWRITE("bond-mac-rewrite", "the parent is a bond in balance-tlb or balance-alb mode: it sends the "
            + "container's frames (or answers for its address) with a slave's MAC"),
    PARENT_NOT_PROMISC("parent-not-promisc", "the parent is a hypervisor's virtual NIC and is not promiscuous: the "
            + "frames for the container's MAC are not delivered to it"),
    LAN_MAC_FILTERED("lan-mac-filtered", "the container's frames leave the parent and nothing comes back, while the "
            + "host's own MAC gets answers from the same peer: the virtual switch, the hypervisor or the switch port "
            + "drops a MAC it did not assign"),
    LAN_PEER_SILENT("lan-peer-silent", "the LAN peer answers neither the container nor the host: it is down, "
            + "unreachable, or not at that address"),
    NOT_MACVLAN("not-macvlan", "the Docker container is on no macvlan network"),
    NETWORK_PARENT("network-parent", "the Docker network's parent interface does not exist on the host"),
    NETWORK_MODE("network-mode", "the container's macvlan is not in bridge mode (Docker: -o macvlan_mode)"),
    IPAM_OVERLAP("ipam-overlap", "the shim's address lies in the network's ip-range without a reservation, or a "
            + "container's address lies outside the routed range"),
    UNEXPLAINED("unexplained", "no rule matched: where the frames show the path stops, and the facts that were read");

    private final String code;
    private final String explanation;

    Cause(String code, String explanation) {
        this.code = code;
        this.explanation = explanation;
    }

    /** The code as JSON and the docs spell it. */
    public String code() {
        return code;
    }

    public String explanation() {
        return explanation;
    }

    /** The section of docs/troubleshooting.md for this cause. */
    public String docs() {
        return "docs/troubleshooting.md#" + code;
    }

    public static Cause byCode(String code) {
        for (Cause c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return code;
    }
}
