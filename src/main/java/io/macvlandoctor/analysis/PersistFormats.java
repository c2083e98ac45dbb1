package io.macvlandoctor.analysis;

import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Sysctl;
import io.macvlandoctor.model.change.AddressAdd;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.Recipes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The boot-time configuration that recreates the shim, its routes and (for IPv6) proxy NDP, in the format of the
 * network manager a host runs. Pure: the engine decides where the files go and journals them.
 */
public final class PersistFormats {
    private PersistFormats() {
    }

    /** The formats of `setup --persist`. */
    public enum Format {
        NETWORKD("networkd"), NM("nm"), IFUPDOWN("ifupdown"), UNIT("unit");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.id.equals(s)) {
                    return f;
                }
            }
            throw new UsageException("--persist " + s + ": networkd, nm, ifupdown or unit (or none, to detect it)");
        }
    }

    /**
     * What the configuration recreates.
     *
     * @param routes the destinations routed through the shim (the container's addresses, or a network's ranges)
     * @param hostIpv6 the host's IPv6 address the shim answers for by proxy NDP, or null (IPv4 only)
     * @param shimIp an address of the shim's own, or null
     * @param parentNetworkFile for networkd: the .network file that configures the parent (its drop-in directory
     *     takes the MACVLAN= line)
     * @param ip the absolute path of `ip`, and sysctl the one of `sysctl`, for the unit
     */
    public record Input(String shim, String parent, List<Cidr> routes, IpAddress hostIpv6, Cidr shimIp,
                        String parentNetworkFile, String ip, String sysctl) {
        boolean ipv6() {
            return hostIpv6 != null && routes.stream().anyMatch(r -> r.family() == Family.V6);
        }
    }

    /** A file to write: its path from the root, text, and permissions; or a symbolic link to target. */
    public record File(String path, String text, int mode, String linkTarget) {
        static File of(String path, String text) {
            return new File(path, text, 0644, null);
        }
    }

    private static final String HEADER = "Written by macvlan-doctor setup --persist; 'macvlan-doctor teardown' "
            + "removes it.";

    public static List<File> files(Format f, Input in) {
        return switch (f) {
            case NETWORKD -> networkd(in);
            case NM -> nm(in);
            case IFUPDOWN -> List.of(File.of("etc/network/interfaces.d/" + in.shim(), ifupdown(in)));
            case UNIT -> unit(in);
        };
    }

    /** The IPv6 sysctls of the shim: systemd's udev rule applies sysctl.d entries of an interface as it appears. */
    static File ipv6Sysctls(Input in) {
        StringBuilder b = new StringBuilder("# " + HEADER + "\n# IPv6 has no ARP flux: the shim answers for the "
                + "host's address by proxy NDP, which needs forwarding on the shim.\n");
        b.append(Sysctl.conf6(in.shim(), "proxy_ndp")).append(" = 1\n");
        b.append(Sysctl.conf6(in.shim(), "forwarding")).append(" = 1\n");
        b.append(Sysctl.neigh6(in.shim(), "proxy_delay")).append(" = 0\n");
        return File.of("etc/sysctl.d/90-macvlan-doctor-" + in.shim() + ".conf", b.toString());
    }

    // ---- systemd-networkd: systemd.netdev(5), systemd.network(5) ----

    static List<File> networkd(Input in) {
        List<File> l = new ArrayList<>();
        l.add(File.of("etc/systemd/network/10-" + in.shim() + ".netdev", "# " + HEADER + "\n"
                + "[NetDev]\nName=" + in.shim() + "\nKind=macvlan\n\n[MACVLAN]\nMode=bridge\n"));
        StringBuilder n = new StringBuilder("# " + HEADER + "\n[Match]\nName=" + in.shim() + "\n\n[Link]\n"
                + "RequiredForOnline=no\n\n[Network]\n");
        if (in.shimIp() != null) {
            n.append("Address=").append(in.shimIp()).append('\n');
        }
        if (in.ipv6()) {
            n.append("IPv6ProxyNDP=yes\nIPv6ProxyNDPAddress=").append(in.hostIpv6()).append('\n');
        }
        for (Cidr r : in.routes()) {
            // No gateway: the destination is on the shim's link (Scope= applies to IPv4 routes only).
            n.append("\n[Route]\nDestination=").append(r.network()).append(r.family() == Family.V4 ? "\nScope=link\n"
                    : "\n");
        }
        l.add(File.of("etc/systemd/network/10-" + in.shim() + ".network", n.toString()));
        // A drop-in for the parent's own .network file, never a rewrite of it.
        l.add(File.of("etc/systemd/network/" + in.parentNetworkFile() + ".d/90-macvlan-doctor-" + in.shim()
                + ".conf", "# " + HEADER + "\n[Network]\nMACVLAN=" + in.shim() + "\n"));
        if (in.ipv6()) {
            l.add(ipv6Sysctls(in));
        }
        return l;
    }

    // ---- NetworkManager: nm-settings-keyfile(5), nm-settings-nmcli(5) ----

    static List<File> nm(Input in) {
        String uuid = UUID.nameUUIDFromBytes(("macvlan-doctor:" + in.shim()).getBytes(StandardCharsets.UTF_8))
                .toString();
        StringBuilder b = new StringBuilder("# " + HEADER + "\n# Routes on a connection without an address need "
                + "NetworkManager 1.46 or newer; older ones need an address of the shim's own (setup --shim-ip).\n");
        b.append("[connection]\nid=").append(in.shim()).append("\nuuid=").append(uuid)
                .append("\ntype=macvlan\ninterface-name=").append(in.shim()).append("\nautoconnect=true\n\n");
        // NMSettingMacvlanMode: 1 vepa, 2 bridge, 3 private, 4 passthru, 5 source.
        b.append("[macvlan]\nmode=2\nparent=").append(in.parent()).append("\n\n");
        b.append(nmFamily(in, Family.V4)).append('\n').append(nmFamily(in, Family.V6));
        List<File> l = new ArrayList<>();
        l.add(new File("etc/NetworkManager/system-connections/" + in.shim() + ".nmconnection", b.toString(), 0600,
                null));
        if (in.ipv6()) {
            l.add(ipv6Sysctls(in));
            // NetworkManager has no setting for proxy entries: a dispatcher script adds it when the shim comes up.
            l.add(new File("etc/NetworkManager/dispatcher.d/90-macvlan-doctor-" + in.shim(), "#!/bin/sh\n# "
                    + HEADER + "\n[ \"$1\" = " + in.shim() + " ] && [ \"$2\" = up ] || exit 0\nexec " + in.ip()
                    + " -6 neigh replace proxy " + in.hostIpv6() + " dev " + in.shim() + "\n", 0755, null));
        }
        return l;
    }

    private static String nmFamily(Input in, Family f) {
        String section = f == Family.V4 ? "[ipv4]\n" : "[ipv6]\n";
        List<Cidr> routes = in.routes().stream().filter(r -> r.family() == f).toList();
        boolean address = in.shimIp() != null && in.shimIp().family() == f;
        if (routes.isEmpty() && !address) {
            return section + (f == Family.V4 ? "method=disabled\n" : "method=link-local\n");
        }
        StringBuilder b = new StringBuilder(section).append("method=manual\n");
        if (address) {
            b.append("address1=").append(in.shimIp()).append('\n');
        }
        for (int i = 0; i < routes.size(); i++) {
            b.append("route").append(i + 1).append('=').append(routes.get(i).network()).append('\n');
        }
        return b.toString();
    }

    // ---- the commands that make the shim, for ifupdown and the unit ----

    /**
     * One command of the recipe: the ifupdown phase it belongs to, the program ("ip" or "sysctl") and its
     * arguments. The last one (post-down) takes the shim away.
     */
    record Step(String phase, String program, String args) {
    }

    /**
     * The recipe in order: create the shim, its IPv6 sysctls, up, its address, the proxy entry, the routes: the
     * `ip` commands are the recipes' own (as a root shell on the host types them). At boot the proxy entry is
     * replaced rather than added, and the sysctls go in one call.
     */
    static List<Step> steps(Input in) {
        String s = in.shim();
        Netns host = Netns.CURRENT;
        List<Change> shim = Recipes.shim(host, in.parent(), s, 0);
        List<Step> l = new ArrayList<>();
        l.add(ip("pre-up", shim.get(0)));
        if (in.ipv6()) {
            l.add(new Step("pre-up", "sysctl", "-q -w " + Sysctl.conf6(s, "proxy_ndp") + "=1 "
                    + Sysctl.conf6(s, "forwarding") + "=1 " + Sysctl.neigh6(s, "proxy_delay") + "=0"));
        }
        l.add(new Step("up", "ip", shim.get(1).command().substring("ip ".length())));
        if (in.shimIp() != null) {
            l.add(ip("post-up", new AddressAdd(host, in.shimIp(), s)));
        }
        if (in.ipv6()) {
            l.add(new Step("post-up", "ip", "-6 neigh replace proxy " + in.hostIpv6() + " dev " + s));
        }
        for (Cidr r : in.routes()) {
            l.add(ip("post-up", Recipes.route(host, r, s, null)));
        }
        l.add(new Step("post-down", "ip", "link del " + s));
        return l;
    }

    private static Step ip(String phase, Change c) {
        return new Step(phase, "ip", c.command().substring("ip ".length()));
    }

    // ---- ifupdown: interfaces(5) ----

    static String ifupdown(Input in) {
        String s = in.shim();
        StringBuilder b = new StringBuilder("# " + HEADER + "\nauto " + s + "\niface " + s + " inet manual\n");
        for (Step st : steps(in)) {
            b.append("    ").append(st.phase()).append(' ').append(st.program()).append(' ').append(st.args())
                    .append('\n');
        }
        return b.toString();
    }

    // ---- a systemd oneshot service: systemd.service(5) ----

    static String unitName(String shim) {
        return "macvlan-doctor-" + shim + ".service";
    }

    static List<File> unit(Input in) {
        String s = in.shim();
        String dev = "sys-subsystem-net-devices-" + escape(in.parent()) + ".device";
        StringBuilder b = new StringBuilder("# " + HEADER + "\n[Unit]\nDescription=macvlan shim " + s + " on "
                + in.parent() + " (host <-> macvlan containers)\nBindsTo=" + dev + "\nAfter=" + dev
                + " network-pre.target\nBefore=network-online.target\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\n");
        for (Step st : steps(in)) {
            // A unit runs programs by absolute path.
            b.append(st.phase().equals("post-down") ? "ExecStop=" : "ExecStart=")
                    .append(st.program().equals("ip") ? in.ip() : in.sysctl()).append(' ').append(st.args())
                    .append('\n');
        }
        b.append("\n[Install]\nWantedBy=multi-user.target\n");
        String path = "etc/systemd/system/" + unitName(s);
        return List.of(File.of(path, b.toString()), new File("etc/systemd/system/multi-user.target.wants/"
                + unitName(s), null, 0777, "/" + path));
    }

    /** systemd's unit name escaping of a device name (systemd-escape): "-" becomes \x2d. */
    static String escape(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' && b.length() > 0) {
                b.append(c);
            } else {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            }
        }
        return b.toString();
    }
}
