package io.macvlandoctor.lab;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.InterfaceName;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Netns;

/**
 * The article's topology, with every name and address changeable. Defaults are the article's own:
 * LAN peer gw0 .2 <-veth-> host parent ens33 .130; container eth0 .240 (a bridge-mode macvlan child of ens33);
 * the fix's shim macvlan0-host.
 */
public record LabSpec(String name, String parentIface, String lanIface, String containerIface, String shimIface,
                      int prefix, int gatewayIp, int hostIp, int containerIp, String containerMac) {
    public static final String PREFIX = "mvd-";
    public static final String DEFAULT_NAME = "lab";

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
        Cidr subnet = new Cidr(hostIp, prefix);
        for (int ip : new int[] {gatewayIp, containerIp}) {
            if (!subnet.contains(ip)) {
                throw new UsageException(Ipv4.format(ip) + " is not in the host's subnet " + subnet);
            }
        }
        if (hostIp == containerIp || hostIp == gatewayIp || gatewayIp == containerIp) {
            throw new UsageException("the LAN peer, the host and the container need three different addresses");
        }
    }

    public static LabSpec article(String name) {
        return new LabSpec(name, "ens33", "gw0", "eth0", "macvlan0-host", 24, Ipv4.parse("192.168.136.2"),
                Ipv4.parse("192.168.136.130"), Ipv4.parse("192.168.136.240"), "02:42:c0:a8:88:f0");
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

    /** The i-th container's address: the first one's, counting up. */
    public int containerIp(int i) {
        return containerIp + i - 1;
    }

    /** The first container has the article's MAC; the others Docker's kind: 02:42 and the address. */
    public String containerMac(int i) {
        if (i == 1) {
            return containerMac;
        }
        int ip = containerIp(i);
        return String.format("02:42:%02x:%02x:%02x:%02x", ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff);
    }

    /** Checks that n containers fit in the subnet next to the host and the LAN peer. */
    public void checkContainers(int n) {
        if (n < 1 || n > 200) {
            throw new UsageException("--containers must be between 1 and 200");
        }
        Cidr subnet = new Cidr(hostIp, prefix);
        for (int i = 1; i <= n; i++) {
            int ip = containerIp(i);
            if (!subnet.contains(ip) || ip == hostIp || ip == gatewayIp || (ip & ~Ipv4.mask(prefix)) == ~Ipv4.mask(prefix)) {
                throw new UsageException(n + " containers from " + Ipv4.format(containerIp) + " do not fit in "
                        + subnet + " beside the host and the LAN peer: give a lower --container-ip");
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
     * with the hundreds digit of its last octet changed (an address one digit away).
     */
    public int mistypedContainerIp() {
        int last = containerIp & 0xff;
        int wrong = last >= 100 ? last - 100 : last + 100;
        return (containerIp & ~0xff) | wrong;
    }
}
