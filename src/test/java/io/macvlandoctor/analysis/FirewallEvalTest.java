package io.macvlandoctor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.FirewallRule;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Ruleset;
import io.macvlandoctor.model.Side;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both interpreters on rule sets recorded from the real tools (src/test/resources/firewall: iptables-save -c,
 * ip6tables-save -c, nft -j list ruleset and nft -a list ruleset of namespaces set up by hand): which rule drops
 * which of the probe's packets, jumps, returns, sets, conntrack states, policies, the arp and netdev families.
 */
class FirewallEvalTest {
    static final Path DIR = Path.of("src/test/resources/firewall");
    static final IpAddress CTR = IpAddress.parse("10.20.5.7");
    static final IpAddress HOST = IpAddress.parse("10.20.0.1");

    static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Ruleset iptables(String tool, String file) {
        return new Ruleset(Side.HOST, tool, null, read(file));
    }

    static Ruleset nft() {
        return new Ruleset(Side.HOST, "nft", read("nft-families.json"), read("nft-families.txt"));
    }

    static FirewallEval.Packet in(String iface, IpAddress src, int type, String state) {
        return new FirewallEval.Packet(Family.V4, true, iface, src, HOST, type, state, "p");
    }

    static List<FirewallRule> drop(Ruleset r, FirewallEval.Packet p) {
        return FirewallEval.dropping(List.of(r), Side.HOST, List.of(p));
    }

    @Test
    void iptablesFollowsJumpsPastNonTerminatingTargetsAndLetsConntrackAccept() {
        Ruleset r = iptables("iptables", "iptables-chain-and-conntrack.txt");
        List<FirewallRule> d = drop(r, in("mv-shim", CTR, 8, "NEW"));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.chain()).isEqualTo("LOGDROP");
            assertThat(x.rule()).isEqualTo("-A LOGDROP -j DROP");
            assertThat(x.position()).as("after the LOG rule").isEqualTo(2);
            assertThat(x.table()).isEqualTo("filter");
        });
        assertThat(drop(r, in("mv-shim", CTR, 0, "ESTABLISHED"))).as("the reply is established").isEmpty();
        assertThat(drop(r, in("mv-shim", IpAddress.parse("10.20.6.7"), 8, "NEW"))).as("another source").isEmpty();
        assertThat(drop(r, in("lo", CTR, 8, "NEW"))).as("lo is accepted first").isEmpty();
        assertThat(drop(r, FirewallEval.Packet.arp(true, "mv-shim", CTR, HOST, 1, "arp")))
                .as("iptables never sees ARP").isEmpty();
    }

    @Test
    void ip6tablesPolicyDropsWhatNoRuleAccepts() {
        Ruleset r = iptables("ip6tables", "ip6tables-policy-drop.txt");
        IpAddress c6 = IpAddress.parse("2001:db8:77::5:7");
        IpAddress h6 = IpAddress.parse("2001:db8:77::1");
        FirewallEval.Packet echo = new FirewallEval.Packet(Family.V6, true, "mv-shim", c6, h6, 128, "NEW", "echo");
        assertThat(FirewallEval.dropping(List.of(r), Side.HOST, List.of(echo))).singleElement()
                .satisfies(x -> assertThat(x.isPolicy()).isTrue());
        for (int nd : new int[] {135, 136}) {
            FirewallEval.Packet p = new FirewallEval.Packet(Family.V6, true, "mv-shim", c6, h6, nd, "UNTRACKED", "nd");
            assertThat(FirewallEval.dropping(List.of(r), Side.HOST, List.of(p))).as("type " + nd).isEmpty();
        }
        assertThat(FirewallEval.dropping(List.of(r), Side.CONTAINER, List.of(echo))).as("another side's rules")
                .isEmpty();
    }

    @Test
    void nftWalksJumpsReturnsAndSetsAnonymousAndNamed() {
        Ruleset r = nft();
        List<FirewallRule> viaJump = drop(r, in("mv-shim", CTR, 8, "NEW"));
        assertThat(viaJump).singleElement().satisfies(x -> {
            assertThat(x.table()).isEqualTo("inet filter");
            assertThat(x.chain()).isEqualTo("from_macvlan");
            assertThat(x.rule()).contains("icmp type echo-request ip saddr { 10.20.5.7, 10.20.5.9 } drop");
        });
        assertThat(drop(r, in("mv-shim", IpAddress.parse("10.20.9.4"), 8, "NEW")))
                .as("returned from the jump, then not in the named set").isEmpty();
        List<FirewallRule> named = drop(r, in("eth0", IpAddress.parse("10.20.5.8"), 8, "NEW"));
        assertThat(named).singleElement().satisfies(x -> assertThat(x.rule()).contains("@ctrs"));
        assertThat(drop(r, in("mv-shim", CTR, 8, "ESTABLISHED"))).isEmpty();
        FirewallEval.Packet reply = new FirewallEval.Packet(Family.V4, false, "mv-shim", HOST, CTR, 0, "ESTABLISHED",
                "reply");
        assertThat(drop(r, reply)).as("reject counts as a drop").singleElement()
                .satisfies(x -> assertThat(x.chain()).isEqualTo("output"));
    }

    @Test
    void nftArpAndNetdevFamiliesSeeOnlyTheirOwnPackets() {
        Ruleset r = nft();
        List<FirewallRule> arp = drop(r, FirewallEval.Packet.arp(true, "mv-shim", CTR, HOST, 1, "arp request"));
        assertThat(arp).singleElement().satisfies(x -> {
            assertThat(x.table()).isEqualTo("arp guard");
            assertThat(x.rule()).isEqualTo("arp operation request arp saddr ip 10.20.5.7 drop");
        });
        assertThat(drop(r, FirewallEval.Packet.arp(true, "mv-shim", CTR, HOST, 2, "arp reply"))).isEmpty();
        assertThat(drop(r, FirewallEval.Packet.arp(true, "mv-shim", IpAddress.parse("10.20.5.9"), HOST, 1, "r")))
                .isEmpty();
        // The netdev chain is bound to lo (nft -j does not say so; the listing does).
        assertThat(drop(r, in("lo", IpAddress.parse("10.20.5.8"), 0, "ESTABLISHED"))).singleElement()
                .satisfies(x -> assertThat(x.table()).isEqualTo("netdev edge"));
        assertThat(drop(r, in("mv-shim", IpAddress.parse("10.20.5.8"), 0, "ESTABLISHED"))).isEmpty();
        assertThat(NftEval.devices(read("nft-families.txt"), "edge", "ing")).containsExactly("lo");
    }

    @Test
    void whatIsNotUnderstoodIsNeverBlamed() {
        String json = read("nft-families.json").replace("\"saddr\"", "\"sport\"");
        Ruleset r = new Ruleset(Side.HOST, "nft", json, read("nft-families.txt"));
        assertThat(drop(r, in("mv-shim", CTR, 8, "NEW"))).as("a match on a field it does not know").isEmpty();
        assertThat(drop(new Ruleset(Side.HOST, "nft", "{not json", ""), in("mv-shim", CTR, 8, "NEW"))).isEmpty();
    }
}
