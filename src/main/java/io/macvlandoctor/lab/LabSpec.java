package io.macvlandoctor.lab;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.InterfaceName;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Netns;

/**
 * The article's topology, with every name and address changeable. Defaults are the article's own:
 * LAN peer gw0 .2 <-veth-> host parent ens33 .130; container eth0 .240 (a bridge-mode macvlan child of ens33);
 * the fix's shim macvlan0-host. Dual-stack labs add IPv6 addresses (fd00:136::2, ::130, ::240 by default).
 *
 * @param v6 the IPv6 addresses, or null for an IPv4-only lab
 */
public record LabSpec(String name, String parentIface, String lanIface, String containerIface, String shimIface,
                      int prefix, IpAddress gatewayIp, IpAddress hostIp, IpAddress containerIp, String containerMac,
                      V6 v6) {
    public static final String PREFIX = "mvd-";
    public static final String DEFAULT_NAME = "lab";

    /** The IPv6 side of a dual-stack lab. */
    public record V6(int prefix, IpAddress gateway, IpAddress host, IpAddress container) {
        public static V6 article() {
            return new V6(64, IpAddress.parse("fd00:136::2"), IpAddress.parse("fd00:136::130"),
                    IpAddress.parse("fd00:136::240"));
        }
    }

    public LabSpec {
        validateName(name);
        InterfaceName.validate(parentIface);
        InterfaceName.validate(lanIface);
        InterfaceName.validate(containerIface);
        InterfaceName.validate(shimIface);
        Mac.parse(containerMac);
        if (parentIface.equals(shimIface)) {
            throw new UsageException("the shim and the parent need different names");
        }
        for (IpAddress a : new IpAddress[] {gatewayIp, hostIp, containerIp}) {
            if (a.family() != Family.V4) {
                throw new UsageException(a + " is not an IPv4 address (IPv6 addresses go with --ipv6)");
            }
        }
        three(new Cidr(hostIp, prefix), gatewayIp, hostIp, containerIp);
        if (v6 != null) {
            for (IpAddress a : new IpAddress[] {v6.gateway(), v6.host(), v6.container()}) {
                if (a.family() != Family.V6) {
                    throw new UsageException(a + " is not an IPv6 address");
                }
            }
            if (v6.prefix() < 64 || v6.prefix() > 126) {
                throw new UsageException("the IPv6 prefix length must be between 64 and 126");
            }
            three(new Cidr(v6.host(), v6.prefix()), v6.gateway(), v6.host(), v6.container());
        }
    }

    private static void three(Cidr subnet, IpAddress gateway, IpAddress host, IpAddress container) {
        for (IpAddress ip : new IpAddress[] {gateway, container}) {
            if (!subnet.contains(ip)) {
                throw new UsageException(ip + " is not in the host's subnet " + subnet.network());
            }
        }
        if (host.equals(container) || host.equals(gateway) || gateway.equals(container)) {
            throw new UsageException("the LAN peer, the host and the container need three different addresses");
        }
    }

    public static LabSpec article(String name) {
        return new LabSpec(name, "ens33", "gw0", "eth0", "macvlan0-host", 24, IpAddress.parse("192.168.136.2"),
                IpAddress.parse("192.168.136.130"), IpAddress.parse("192.168.136.240"), "02:42:c0:a8:88:f0", null);
    }

    public LabSpec withV6(V6 six) {
        return new LabSpec(name, parentIface, lanIface, containerIface, shimIface, prefix, gatewayIp, hostIp,
                containerIp, containerMac, six);
    }

    public static String validateName(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,23}")) {
            throw new UsageException("invalid lab name '" + name
                    + "': lower-case letters, digits and '-', at most 24 characters");
        }
        return name;
    }

    public static Netns hostNs(String name) {
        return Netns.named(PREFIX + name + "-host");
    }

    public static Netns containerNs(String name) {
        return Netns.named(PREFIX + name + "-ctr");
    }

    public static Netns lanNs(String name) {
        return Netns.named(PREFIX + name + "-lan");
    }

    /** The namespace of the i-th container (1-based): mvd-NAME-ctr, then mvd-NAME-ctr2, ... */
    public static Netns containerNs(String name, int i) {
        return Netns.named(PREFIX + name + "-ctr" + (i == 1 ? "" : Integer.toString(i)));
    }

    /** The i-th container's IPv4 address: the first one's, counting up. */
    public IpAddress containerIp(int i) {
        return containerIp.plus(i - 1);
    }

    /** The i-th container's IPv6 address, or null in an IPv4-only lab. */
    public IpAddress containerIp6(int i) {
        return v6 == null ? null : v6.container().plus(i - 1);
    }

    /** The first container has the article's MAC; the others Docker's kind: 02:42 and the IPv4 address. */
    public String containerMac(int i) {
        if (i == 1) {
            return containerMac;
        }
        byte[] b = containerIp(i).bytes();
        return String.format("02:42:%02x:%02x:%02x:%02x", b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff);
    }

    /** Checks that n containers fit in the subnet next to the host and the LAN peer. */
    public void checkContainers(int n) {
        if (n < 1 || n > 200) {
            throw new UsageException("--containers must be between 1 and 200");
        }
        Cidr subnet = new Cidr(hostIp, prefix);
        IpAddress broadcast = hostIp.masked(prefix).plus((1L << (32 - prefix)) - 1);
        for (int i = 1; i <= n; i++) {
            IpAddress ip = containerIp(i);
            if (!subnet.contains(ip) || ip.equals(hostIp) || ip.equals(gatewayIp) || ip.equals(broadcast)) {
                throw new UsageException(n + " containers from " + containerIp + " do not fit in "
                        + subnet.network() + " beside the host and the LAN peer: give a lower --container-ip");
            }
        }
    }

    public Netns hostNs() {
        return hostNs(name);
    }

    public Netns containerNs() {
        return containerNs(name);
    }

    public Netns lanNs() {
        return lanNs(name);
    }

    /**
     * The article's typo: its route names .140 while the container is .240. In general: the container's address
     * with the hundreds digit of its last group changed (an address one digit away); for IPv6 the same on the last
     * group's hexadecimal digits (::240 becomes ::140).
     */
    public static IpAddress mistyped(IpAddress a) {
        if (a.family() == Family.V4) {
            int last = a.v4bits() & 0xff;
            int wrong = last >= 100 ? last - 100 : last + 100;
            return IpAddress.v4((a.v4bits() & ~0xff) | wrong);
        }
        long last = a.lo() & 0xffff;
        long wrong = last >= 0x100 ? last - 0x100 : last + 0x100;
        return IpAddress.v6(a.hi(), (a.lo() & ~0xffffL) | wrong);
    }

    public IpAddress mistypedContainerIp() {
        return mistyped(containerIp);
    }
}
