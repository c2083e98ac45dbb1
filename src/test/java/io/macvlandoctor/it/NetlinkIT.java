package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.system.Ip;
import io.macvlandoctor.system.ProcessRunner;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process reads over rtnetlink give what iproute2 gives: the same namespaces read both ways (`ip -j` parsed
 * by IpJson, and netlink), on a dual-stack lab with the things real hosts have (a gateway route, metrics, a
 * permanent neighbour, a proxy entry, a link down, a macvlan in VEPA mode); and the in-process flush removes what
 * `ip neigh flush` would, leaving permanent entries alone.
 */
@RootOnly
class NetlinkIT {
    /** iproute2 for every read, as the tests' fake runners get. */
    static final ProcessRunner IP_PROCESSES = new ProcessRunner() {
        @Override
        public boolean live() {
            return false;
        }
    };

    @Test
    void netlinkReadsWhatIpReads() {
        try (TestLab lab = TestLab.up("--fixed", "--ipv6")) {
            String h = lab.hostNs();
            Cli.exec("ip", "-n", h, "route", "add", "10.99.0.0/16", "via", "192.168.136.2", "metric", "50");
            Cli.exec("ip", "-n", h, "-6", "route", "add", "fd00:99::/64", "via", "fd00:136::2", "dev", "ens33");
            Cli.exec("ip", "-n", h, "neigh", "replace", "192.168.136.77", "lladdr", "02:00:00:00:00:77", "dev",
                    "ens33", "nud", "permanent");
            Cli.exec("ip", "-n", h, "link", "add", "link", "ens33", "name", "mv-vepa", "type", "macvlan", "mode",
                    "vepa");
            assertThat(lab.hostPingsContainer()).isTrue();
            for (String ns : List.of(h, lab.ctrNs(), lab.lanNs())) {
                Ip live = new Ip(Netns.parse(ns), new ProcessRunner());
                Ip ip = new Ip(Netns.parse(ns), IP_PROCESSES);
                assertThat(sorted(live.links())).as(ns + " links").isEqualTo(sorted(ip.links()));
                assertThat(routes(live.routes())).as(ns + " routes").isEqualTo(routes(ip.routes()));
                for (String a : List.of("192.168.136.240", "192.168.136.130", "fd00:136::240", "fd00:136::130",
                    "192.168.136.77", "10.99.1.1", "203.0.113.9")) {
                    IpAddress dst = IpAddress.parse(a);
                    assertThat(live.routeGet(dst)).as(ns + " route get " + a).isEqualTo(ip.routeGet(dst));
                    assertThat(live.neighbours(dst, Side.HOST)).as(ns + " neighbours " + a)
                            .isEqualTo(ip.neighbours(dst, Side.HOST));
                }
                assertThat(live.proxies(Side.HOST)).as(ns + " proxies").isEqualTo(ip.proxies(Side.HOST));
            }
            assertThat(new Ip(Netns.parse(h), new ProcessRunner()).proxies(Side.HOST)).isNotEmpty();

            // The flush: the dynamic entry goes, the permanent one stays.
            Ip live = new Ip(Netns.parse(h), new ProcessRunner());
            assertThat(live.neighbours(IpAddress.parse("192.168.136.240"), Side.HOST)).isNotEmpty();
            live.flushNeighbours(List.of(IpAddress.parse("192.168.136.240"), IpAddress.parse("192.168.136.77")));
            assertThat(live.neighbours(IpAddress.parse("192.168.136.240"), Side.HOST))
                    .allMatch(n -> n.state().contains("FAILED") || n.state().contains("INCOMPLETE"));
            assertThat(live.neighbours(IpAddress.parse("192.168.136.77"), Side.HOST)).singleElement()
                    .satisfies(n -> assertThat(n.state()).isEqualTo("PERMANENT"));
        }
    }

    static List<Link> sorted(List<Link> l) {
        return l.stream().sorted(Comparator.comparingInt(Link::index)).map(x -> new Link(x.index(), x.name(), x.mac(),
                x.adminUp(), x.operState(), x.kind(), x.macvlanMode(), x.parentIndex(), x.parentNetnsId(),
                x.addresses().stream().sorted(Comparator.comparing(Object::toString)).toList())).toList();
    }

    static List<String> routes(List<Route> l) {
        return l.stream().map(Route::toString).sorted().toList();
    }
}
