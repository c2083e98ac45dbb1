package io.macvlandoctor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.Topology;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Trace events are every namespace's: of the events recorded while another run on the machine used the same
 * addresses and names, only those of our probes are taken.
 */
class KernelMatchTest {
    static final Set<Integer> OURS = Set.of(4242, 4243);
    static final Set<String> DEVICES = Set.of("ens33", "macvlan0-host", "eth0");

    static Topology v4() {
        return Recorded.load("healthy").topology();
    }

    static KernelEvent.Drop drop(String task, int protocol) {
        return new KernelEvent.Drop(1, task, protocol, "nft_do_chain", "NETFILTER_DROP");
    }

    static KernelEvent.Lookup lookup(String task, String src, String dst) {
        return new KernelEvent.Lookup(1, task, Family.V4, 254, 0, 0, 0, IpAddress.parse(src), IpAddress.parse(dst),
                "macvlan0-host", null, 0);
    }

    @Test
    void aDropInOurThreadIsOursAndOneInSoftirqOrAnotherProcessIsNot() {
        List<KernelEvent> got = KernelMatch.match(List.of(drop("java-4242", 0x0800), drop("<idle>-0", 0x0800),
                drop("ksoftirqd/1-22", 0x0806), drop("java-999", 0x0800)), OURS, v4(), DEVICES);
        assertThat(got).extracting(KernelEvent::task).containsExactly("java-4242");
    }

    /** Another run's IPv6 drop, in our thread's softirq or not, says nothing of an IPv4-only path. */
    @Test
    void aDropOfAFamilyTheProbesDoNotUseIsNotOurs() {
        assertThat(KernelMatch.match(List.of(drop("java-4243", 0x86dd)), OURS, v4(), DEVICES)).isEmpty();
        assertThat(KernelMatch.match(List.of(drop("java-4243", 0x0806)), OURS, v4(), DEVICES)).hasSize(1);
    }

    @Test
    void aLookupBetweenOurAddressesIsOursInTheKernelsOwnContextToo() {
        List<KernelEvent> got = KernelMatch.match(List.of(lookup("<idle>-0", "192.168.136.130", "192.168.136.240"),
                lookup("java-4242", "0.0.0.0", "192.168.136.240"), lookup("<idle>-0", "10.1.1.1", "10.1.1.2"),
                lookup("java-999", "192.168.136.130", "192.168.136.240")), OURS, v4(), DEVICES);
        assertThat(got).extracting(KernelEvent::task).containsExactly("<idle>-0", "java-4242");
    }

    @Test
    void backgroundDropsAreNeverEvidence() {
        KernelEvent.Drop mc = new KernelEvent.Drop(1, "java-4242", 0x0800, "ping_rcv+0x1c", "NO_SOCKET");
        assertThat(KernelMatch.match(List.of(mc), OURS, v4(), DEVICES)).isEmpty();
    }
}
