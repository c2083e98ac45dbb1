package io.macvlandoctor.system;

import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.ParentNic;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.RouteLookup;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads of `ip -j -d addr show`, `ip route show table main`, `ip route get`, `ip neigh show` and the neighbour
 * flush of `ip neigh flush to`, over rtnetlink in the calling thread's namespace, into the same records IpJson
 * makes (the names iproute2 prints included). Run inside the namespace (Namespaces.call).
 */
final class RtNetlink {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_GETADDR = 22;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_DELNEIGH = 29;
    private static final int RTM_GETNEIGH = 30;
    private static final int IFINFO = 16;
    private static final int IFADDR = 8;
    private static final int RTMSG = 12;
    private static final int NDMSG = 12;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RT_TABLE_LOCAL = 255;
    private static final int RTM_F_CLONED = 0x200;
    private static final int RTM_F_LOOKUP_TABLE = 0x1000;
    private static final int NTF_PROXY = 0x08;
    private static final int NUD_NOARP = 0x40;
    private static final int NUD_PERMANENT = 0x80;
    private static final int IFA_F_TENTATIVE = 0x40;
    private static final int ENOENT = 2;
    private static final int ENETUNREACH = 101;
    private static final int EHOSTUNREACH = 113;
    /** A blackhole route answers a lookup with EINVAL, a prohibit route with EACCES: nowhere to send it. */
    private static final int EINVAL = 22;
    private static final int EACCES = 13;

    private static final String[] OPERSTATE = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
        "DORMANT", "UP"};
    private static final String[] NUD = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP",
        "PERMANENT"};

    private RtNetlink() {
    }

    /** Every link with its addresses, as `ip -j -d addr show`. */
    static List<Link> links() {
        try (Netlink nl = new Netlink()) {
            return links(nl);
        }
    }

    private static List<Link> links(Netlink nl) {
        Map<Integer, List<Cidr>> addrs = new HashMap<>();
        for (Netlink.Message m : nl.exchange(dump(RTM_GETADDR, IFADDR, 0), IFADDR)) {
            ByteBuffer local = m.attrs().getOrDefault(2, m.attrs().get(1));
            if (local == null) {
                continue;
            }
            IpAddress ip = address(local);
            if (ip != null) {
                addrs.computeIfAbsent(m.s32(4), k -> new ArrayList<>()).add(new Cidr(ip, m.u8(1)));
            }
        }
        List<Link> out = new ArrayList<>();
        for (Netlink.Message m : nl.exchange(dump(RTM_GETLINK, IFINFO, 0), IFINFO)) {
            int index = m.s32(4);
            int flags = m.s32(8);
            Map<Integer, ByteBuffer> a = m.attrs();
            String kind = null;
            String mode = null;
            ByteBuffer info = a.get(18);
            if (info != null) {
                Map<Integer, ByteBuffer> li = Netlink.attrs(info, 0);
                kind = li.containsKey(1) ? Netlink.string(li.get(1)) : null;
                if (("macvlan".equals(kind) || "macvtap".equals(kind)) && li.containsKey(2)) {
                    ByteBuffer modeAttr = Netlink.attrs(li.get(2), 0).get(1);
                    mode = modeAttr == null ? null : macvlanMode(modeAttr.getInt(0));
                }
            }
            int link = a.containsKey(5) ? a.get(5).getInt(0) : 0;
            int netnsId = a.containsKey(37) ? a.get(37).getInt(0) : -1;
            // A lower device in another namespace may have this one's index there; in this one, a link naming
            // itself has no lower device (iproute2 leaves it out).
            int parent = netnsId >= 0 || link != index ? link : 0;
            int op = a.containsKey(16) ? a.get(16).get(0) & 0xff : 0;
            out.add(new Link(index, Netlink.string(a.get(3)), a.containsKey(1) ? mac(Netlink.bytes(a.get(1))) : null,
                    (flags & 1) != 0, op < OPERSTATE.length ? OPERSTATE[op] : "UNKNOWN", kind, mode,
                    parent, netnsId,
                    addrs.getOrDefault(index, List.of())));
        }
        return out;
    }

    private static final String[] BOND_MODES = {"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
        "balance-tlb", "balance-alb"};

    /**
     * The device's promiscuous and all-multicast flags, how many hold promiscuity (IFLA_PROMISCUITY) and, for a
     * bond, its mode (IFLA_BOND_MODE); the driver and Wi-Fi are not netlink's to say (null, false).
     */
    static ParentNic nic(String dev) {
        try (Netlink nl = new Netlink()) {
            for (Netlink.Message m : nl.exchange(dump(RTM_GETLINK, IFINFO, 0), IFINFO)) {
                Map<Integer, ByteBuffer> a = m.attrs();
                if (!dev.equals(Netlink.string(a.get(3)))) {
                    continue;
                }
                int flags = m.s32(8);
                int promiscuity = a.containsKey(30) ? a.get(30).getInt(0) : -1;
                String bond = null;
                ByteBuffer info = a.get(18);
                if (info != null) {
                    Map<Integer, ByteBuffer> li = Netlink.attrs(info, 0);
                    if (li.containsKey(1) && "bond".equals(Netlink.string(li.get(1))) && li.containsKey(2)) {
                        ByteBuffer mode = Netlink.attrs(li.get(2), 0).get(1);
                        int n = mode == null ? 0 : mode.get(0) & 0xff;
                        bond = n < BOND_MODES.length ? BOND_MODES[n] : "mode " + n;
                    }
                }
                return new ParentNic(null, false, (flags & 0x100) != 0, (flags & 0x200) != 0, promiscuity, bond);
            }
            return ParentNic.UNKNOWN;
        }
    }

    /** Whether an IPv6 address of the device is tentative (duplicate address detection running). */
    static boolean tentative(String dev) {
        try (Netlink nl = new Netlink()) {
            Map<Integer, String> names = names(nl);
            for (Netlink.Message m : nl.exchange(dump(RTM_GETADDR, IFADDR, AF_INET6), IFADDR)) {
                int flags = m.attrs().containsKey(8) ? m.attrs().get(8).getInt(0) : m.u8(2);
                if (dev.equals(names.get(m.s32(4))) && (flags & IFA_F_TENTATIVE) != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The main table of both families, as `ip route show table main`. */
    static List<Route> routes() {
        return routes(false);
    }

    /**
     * Both families' routes: the main table's or, with every table, those of the other tables too (but the local
     * table, which holds the host's own addresses), each saying its table.
     */
    static List<Route> routes(boolean everyTable) {
        try (Netlink nl = new Netlink()) {
            return routes(nl, names(nl), everyTable);
        }
    }

    /** The links and the main table's routes, on one socket, the links dumped once for both. */
    static Ip.LinksAndRoutes linksAndRoutes() {
        try (Netlink nl = new Netlink()) {
            List<Link> links = links(nl);
            Map<Integer, String> names = new HashMap<>();
            links.forEach(l -> names.put(l.index(), l.name()));
            return new Ip.LinksAndRoutes(links, routes(nl, names, false));
        }
    }

    private static List<Route> routes(Netlink nl, Map<Integer, String> names, boolean everyTable) {
        List<Route> out = new ArrayList<>();
        for (int family : new int[] {AF_INET, AF_INET6}) {
            for (Netlink.Message m : nl.exchange(dump(RTM_GETROUTE, RTMSG, family), RTMSG)) {
                Map<Integer, ByteBuffer> a = m.attrs();
                int table = a.containsKey(15) ? a.get(15).getInt(0) : m.u8(4);
                if (!everyTable && table != RT_TABLE_MAIN || table == RT_TABLE_LOCAL
                        || (m.s32(8) & RTM_F_CLONED) != 0 || !a.containsKey(4)) {
                    continue;
                }
                Cidr dst = null;
                if (m.u8(1) > 0) {
                    IpAddress d = a.containsKey(1) ? address(a.get(1)) : null;
                    if (d == null) {
                        continue;
                    }
                    dst = new Cidr(d, m.u8(1));
                }
                out.add(new Route(dst, names.get(a.get(4).getInt(0)), a.containsKey(5) ? str(address(a.get(5)))
                        : null, a.containsKey(7) ? str(address(a.get(7))) : null, scope(m.u8(6)),
                        protocol(m.u8(5)), a.containsKey(6) ? a.get(6).getInt(0) : null,
                        table == RT_TABLE_MAIN ? null : RouteLookup.tableName(table)));
            }
        }
        return out;
    }

    /** `ip route get DST`: the device, source and gateway the kernel would use; null when unreachable. */
    static RouteLookup routeGet(IpAddress dst) {
        try (Netlink nl = new Netlink()) {
            ByteBuffer req = Netlink.request(RTM_GETROUTE, Netlink.NLM_F_REQUEST, RTMSG);
            req.put(16, (byte) (dst.family() == Family.V4 ? AF_INET : AF_INET6));
            req.put(17, (byte) dst.family().bits());
            // RTM_F_LOOKUP_TABLE, as `ip route get` asks: without it the kernel says "main" whatever table answered.
            req.putInt(16 + 8, RTM_F_LOOKUP_TABLE);
            Netlink.attr(req, 1, dst.bytes());
            List<Netlink.Message> r;
            try {
                r = nl.exchange(req, RTMSG);
            } catch (Netlink.Refused e) {
                if (e.errno == ENETUNREACH || e.errno == EHOSTUNREACH || e.errno == EINVAL || e.errno == EACCES) {
                    return null;
                }
                throw e;
            }
            int type = r.isEmpty() ? 0 : r.get(0).u8(7);
            if (r.isEmpty() || type == 6 || type == 7 || type == 8 || !r.get(0).attrs().containsKey(4)) {
                // Blackhole, unreachable or prohibit: nowhere to send it.
                return null;
            }
            Map<Integer, ByteBuffer> a = r.get(0).attrs();
            int table = a.containsKey(15) ? a.get(15).getInt(0) : r.get(0).u8(4);
            return new RouteLookup(dst.toString(), names(nl).get(a.get(4).getInt(0)),
                    a.containsKey(7) ? str(address(a.get(7))) : null, a.containsKey(5) ? str(address(a.get(5))) : null,
                    RouteLookup.tableName(table));
        }
    }

    /** The neighbour entries for an address (`ip neigh show to X`), or the IPv6 proxy entries (`show proxy`). */
    static List<Neighbour> neighbours(IpAddress to, Side side, boolean proxy) {
        try (Netlink nl = new Netlink()) {
            return neighbours(nl, names(nl), to, side, proxy);
        }
    }

    private static List<Neighbour> neighbours(Netlink nl, Map<Integer, String> names, IpAddress to, Side side,
                                              boolean proxy) {
        ByteBuffer req = dump(RTM_GETNEIGH, NDMSG, proxy ? AF_INET6 : to.family() == Family.V4 ? AF_INET : AF_INET6);
        if (proxy) {
            req.put(16 + 10, (byte) NTF_PROXY);
        }
        List<Neighbour> out = new ArrayList<>();
        for (Netlink.Message m : nl.exchange(req, NDMSG)) {
            boolean isProxy = (m.u8(10) & NTF_PROXY) != 0;
            Map<Integer, ByteBuffer> a = m.attrs();
            IpAddress ip = a.containsKey(1) ? address(a.get(1)) : null;
            if (ip == null || isProxy != proxy || to != null && !to.equals(ip)) {
                continue;
            }
            out.add(new Neighbour(side, ip, names.get(m.s32(4)), a.containsKey(2) ? mac(Netlink.bytes(a.get(2))) : null,
                    proxy ? null : state(m.u16(8)), proxy));
        }
        return out;
    }

    /**
     * `ip neigh flush to X`: deletes the entries for the address on every device, but not permanent or no-ARP
     * ones (those are someone's configuration). Returns how many went.
     */
    static int flush(IpAddress to) {
        try (Netlink nl = new Netlink()) {
            int family = to.family() == Family.V4 ? AF_INET : AF_INET6;
            int n = 0;
            for (Netlink.Message m : nl.exchange(dump(RTM_GETNEIGH, NDMSG, family), NDMSG)) {
                ByteBuffer dst = m.attrs().get(1);
                if (dst == null || !to.equals(address(dst)) || (m.u16(8) & (NUD_PERMANENT | NUD_NOARP)) != 0
                        || (m.u8(10) & NTF_PROXY) != 0) {
                    continue;
                }
                ByteBuffer del = Netlink.request(RTM_DELNEIGH, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, NDMSG);
                del.put(16, (byte) family);
                del.putInt(16 + 4, m.s32(4));
                Netlink.attr(del, 1, to.bytes());
                try {
                    nl.exchange(del, NDMSG);
                    n++;
                } catch (Netlink.Refused e) {
                    if (e.errno != ENOENT) {
                        throw e;
                    }
                }
            }
            return n;
        }
    }

    private static ByteBuffer dump(int type, int fixed, int family) {
        ByteBuffer b = Netlink.request(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, fixed);
        b.put(16, (byte) family);
        return b;
    }

    private static Map<Integer, String> names(Netlink nl) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (Netlink.Message x : nl.exchange(dump(RTM_GETLINK, IFINFO, 0), IFINFO)) {
            ByteBuffer name = x.attrs().get(3);
            if (name != null) {
                m.put(x.s32(4), Netlink.string(name));
            }
        }
        return m;
    }

    private static IpAddress address(ByteBuffer v) {
        byte[] b = Netlink.bytes(v);
        return b.length == 4 ? IpAddress.of(b, 0, Family.V4) : b.length == 16 ? IpAddress.of(b, 0, Family.V6) : null;
    }

    private static String str(IpAddress a) {
        return a == null ? null : a.toString();
    }

    /** A link-layer address of any length as iproute2 writes it ("02:42:c0:a8:00:ff"). */
    static String mac(byte[] b) {
        return java.util.HexFormat.ofDelimiter(":").formatHex(b);
    }

    /** IFLA_MACVLAN_MODE as iproute2 names it. */
    static String macvlanMode(int m) {
        return switch (m) {
            case 1 -> "private";
            case 2 -> "vepa";
            case 4 -> "bridge";
            case 8 -> "passthru";
            case 16 -> "source";
            default -> Integer.toString(m);
        };
    }

    /** rtm_scope as iproute2 prints it; universe (global) is left out, as `ip -j` leaves it out. */
    static String scope(int s) {
        return switch (s) {
            case 0 -> null;
            case 200 -> "site";
            case 253 -> "link";
            case 254 -> "host";
            case 255 -> "nowhere";
            default -> Integer.toString(s);
        };
    }

    /** rtm_protocol as iproute2 names it (/etc/iproute2/rt_protos); boot, the default of `ip route add`, unsaid. */
    static String protocol(int p) {
        return switch (p) {
            case 0 -> "unspec";
            case 1 -> "redirect";
            case 2 -> "kernel";
            case 3 -> null;
            case 4 -> "static";
            case 8 -> "gated";
            case 9 -> "ra";
            case 10 -> "mrt";
            case 11 -> "zebra";
            case 12 -> "bird";
            case 13 -> "dnrouted";
            case 14 -> "xorp";
            case 15 -> "ntk";
            case 16 -> "dhcp";
            case 42 -> "babel";
            case 186 -> "bgp";
            case 187 -> "isis";
            case 188 -> "ospf";
            case 189 -> "rip";
            case 192 -> "eigrp";
            default -> Integer.toString(p);
        };
    }

    /** ndm_state as iproute2 prints it: the set bits, joined by commas. */
    static String state(int s) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < NUD.length; i++) {
            if ((s & (1 << i)) != 0) {
                l.add(NUD[i]);
            }
        }
        return l.isEmpty() ? "NONE" : String.join(",", l);
    }
}
