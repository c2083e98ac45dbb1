package io.macvlandoctor.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The check ids of the contract (docs/design.md), each spelled here once, with what it means (for `explain` and the docs check), the
 * family it judges and the probes whose frames it judges. docs/checks.md has a section per id saying what proves,
 * disproves and leaves it unproven; docs/report.schema.json lists them.
 */
public enum CheckId {
    ISOLATION(Kind.ISOLATION, Family.V4, "isolation.host-to-container",
            "before the fix, the host cannot reach the container: the article's problem, shown by probing before setup"),
    HOST_ICMP(Kind.HOST_ICMP, Family.V4, "host-to-container.icmp",
            "the host's echo to the container gets its reply"),
    HOST_SRC_MAC(Kind.HOST_SRC_MAC, Family.V4, "host-to-container.src-mac-is-shim",
            "the host's request reaches the container from the shim's MAC: it left through the shim, as the route says"),
    HOST_SRC_IP(Kind.HOST_SRC_IP, Family.V4, "host-to-container.src-ip",
            "its source address is the kernel's choice (ip route get): the parent's, or the shim's own when it has "
                    + "one; layers are independent"),
    HOST_REPLY_VIA_SHIM(Kind.HOST_REPLY_VIA_SHIM, Family.V4, "host-to-container.reply-via-shim",
            "the container answers to the shim's MAC, so the reply enters the host through the shim"),
    CONTAINER_ARP_FLUX(Kind.CONTAINER_RESOLVES_HOST, Family.V4, "container-to-host.arp-flux",
            "the container's who-has for the parent's address is answered with the shim's MAC (Linux answers ARP "
                    + "for any local address on any interface)"),
    CONTAINER_ICMP(Kind.CONTAINER_ICMP, Family.V4, "container-to-host.icmp",
            "the container's echo to the host gets its reply"),
    PARENT_TAP(Kind.PARENT_TAP, Family.V4, "path.parent-tap",
            "the parent sees the exchange between its children as ingress only (bridge-mode macvlan hands it to the "
                    + "parent's taps)"),
    STAYS_ON_HOST(Kind.STAYS_ON_HOST, Family.V4, "path.stays-on-host",
            "no unicast frame between host and container leaves on the wire"),
    LAN_RESOLVE(Kind.LAN_RESOLVE, Family.V4, "lan.resolve",
            "the container's who-has for its gateway (and each --lan-ip) is answered from the LAN"),
    LAN_ICMP(Kind.LAN_ICMP, Family.V4, "lan.icmp",
            "the container's echo to its gateway (and each --lan-ip) gets its reply"),
    LAN_SRC_MAC(Kind.LAN_SRC_MAC, Family.V4, "lan.src-mac",
            "the container's frames leave through the parent with the container's own MAC, as macvlan sends them "
                    + "(nothing on the way rewrites it)"),
    LAN_REPLY(Kind.LAN_REPLY, Family.V4, "lan.reply-to-container",
            "the LAN's answer to the container's MAC enters through the parent and reaches the container"),

    IPV6_ISOLATION(Kind.ISOLATION, Family.V6, "ipv6.isolation.host-to-container",
            "IPv6: before the fix, the host cannot reach the container"),
    IPV6_HOST_ICMP(Kind.HOST_ICMP, Family.V6, "ipv6.host-to-container.icmp",
            "IPv6: the host's echo to the container gets its reply"),
    IPV6_HOST_SRC_MAC(Kind.HOST_SRC_MAC, Family.V6, "ipv6.host-to-container.src-mac-is-shim",
            "IPv6: the host's request reaches the container from the shim's MAC"),
    IPV6_HOST_SRC_IP(Kind.HOST_SRC_IP, Family.V6, "ipv6.host-to-container.src-ip",
            "IPv6: its source address is the kernel's choice (ip -6 route get)"),
    IPV6_HOST_REPLY_VIA_SHIM(Kind.HOST_REPLY_VIA_SHIM, Family.V6, "ipv6.host-to-container.reply-via-shim",
            "IPv6: the container answers to the shim's MAC, so the reply enters the host through the shim"),
    IPV6_CONTAINER_NDP_PROXY(Kind.CONTAINER_RESOLVES_HOST, Family.V6, "ipv6.container-to-host.ndp-proxy",
            "IPv6: the container's neighbour solicitation for the host's address is answered with the shim's MAC "
                    + "(proxy NDP on the shim: NDP has no flux)"),
    IPV6_CONTAINER_ICMP(Kind.CONTAINER_ICMP, Family.V6, "ipv6.container-to-host.icmp",
            "IPv6: the container's echo to the host gets its reply"),
    IPV6_PARENT_TAP(Kind.PARENT_TAP, Family.V6, "ipv6.path.parent-tap",
            "IPv6: the parent sees the exchange between its children as ingress only"),
    IPV6_STAYS_ON_HOST(Kind.STAYS_ON_HOST, Family.V6, "ipv6.path.stays-on-host",
            "IPv6: no unicast frame between host and container leaves on the wire"),
    IPV6_LAN_RESOLVE(Kind.LAN_RESOLVE, Family.V6, "ipv6.lan.resolve",
            "IPv6: the container's neighbour solicitation for its gateway (and each --lan-ip) is answered"),
    IPV6_LAN_ICMP(Kind.LAN_ICMP, Family.V6, "ipv6.lan.icmp",
            "IPv6: the container's echo to its gateway (and each --lan-ip) gets its reply"),
    IPV6_LAN_SRC_MAC(Kind.LAN_SRC_MAC, Family.V6, "ipv6.lan.src-mac",
            "IPv6: the container's frames leave through the parent with the container's own MAC"),
    IPV6_LAN_REPLY(Kind.LAN_REPLY, Family.V6, "ipv6.lan.reply-to-container",
            "IPv6: the LAN's answer to the container's MAC enters through the parent and reaches the container");

    /** What a check judges, whatever the family. */
    public enum Kind {
        ISOLATION(EnumSet.of(Probe.HOST_ECHO)),
        HOST_ICMP(EnumSet.of(Probe.HOST_ECHO)),
        HOST_SRC_MAC(EnumSet.of(Probe.HOST_ECHO)),
        HOST_SRC_IP(EnumSet.of(Probe.HOST_ECHO)),
        HOST_REPLY_VIA_SHIM(EnumSet.of(Probe.HOST_ECHO)),
        CONTAINER_RESOLVES_HOST(EnumSet.of(Probe.CONTAINER_RESOLVE)),
        CONTAINER_ICMP(EnumSet.of(Probe.CONTAINER_ECHO)),
        PARENT_TAP(EnumSet.of(Probe.HOST_ECHO)),
        STAYS_ON_HOST(EnumSet.of(Probe.HOST_ECHO, Probe.HOST_RESOLVE, Probe.CONTAINER_RESOLVE, Probe.CONTAINER_ECHO)),
        LAN_RESOLVE(EnumSet.of(Probe.LAN_RESOLVE)),
        LAN_ICMP(EnumSet.of(Probe.LAN_ECHO)),
        LAN_SRC_MAC(EnumSet.of(Probe.LAN_RESOLVE, Probe.LAN_ECHO)),
        LAN_REPLY(EnumSet.of(Probe.LAN_RESOLVE, Probe.LAN_ECHO));

        /** A check of the container's path to the LAN, not of the one to its host. */
        public boolean lan() {
            return this == LAN_RESOLVE || this == LAN_ICMP || this == LAN_SRC_MAC || this == LAN_REPLY;
        }

        private final Set<Probe> judgedOn;

        Kind(Set<Probe> judgedOn) {
            this.judgedOn = judgedOn;
        }

        /** The probes whose frames this check judges. */
        public Set<Probe> judgedOn() {
            return judgedOn;
        }
    }

    /** The probes of a run: who asks whom, resolution or echo. */
    public enum Probe { HOST_ECHO, HOST_RESOLVE, CONTAINER_RESOLVE, CONTAINER_ECHO, LAN_RESOLVE, LAN_ECHO }

    private final Kind kind;
    private final Family family;
    private final String id;
    private final String explanation;

    CheckId(Kind kind, Family family, String id, String explanation) {
        this.kind = kind;
        this.family = family;
        this.id = id;
        this.explanation = explanation;
    }

    public Kind kind() {
        return kind;
    }

    public Family family() {
        return family;
    }

    /** The id of the contract (docs/design.md), as in JSON and JUnit. */
    public String id() {
        return id;
    }

    public String explanation() {
        return explanation;
    }

    /** The section of docs/checks.md that says what proves, disproves and leaves it unproven. */
    public String docs() {
        return "docs/checks.md#" + id.replace(".", "");
    }

    public static CheckId of(Kind k, Family f) {
        for (CheckId c : values()) {
            if (c.kind == k && c.family == f) {
                return c;
            }
        }
        throw new IllegalArgumentException(k + " " + f);
    }

    /** The check with this id, or null. */
    public static CheckId byId(String id) {
        for (CheckId c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
