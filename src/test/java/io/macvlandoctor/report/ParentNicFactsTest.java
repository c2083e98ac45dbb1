package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.json.Json;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.ParentNic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parent's NIC and the container's gateways: kept by facts files, read from older ones, stated in the facts. */
class ParentNicFactsTest {
    static final ParentNic BOND = new ParentNic("bonding", false, true, true, 3, "balance-alb");

    static KernelFacts withNic(ParentNic n) {
        KernelFacts k = Recorded.load("lan-mac-filtered").kernel();
        return k.toBuilder().parentNic(n).build();
    }

    @Test
    void aFactsFileKeepsTheNicAndTheGateways() {
        KernelFacts k = withNic(BOND);
        KernelFacts back = FactsJson.readFile(FactsJson.writeFile(k, "test"));
        assertThat(back.parentNic()).isEqualTo(BOND);
        assertThat(back.containerGateways()).containsEntry(Family.V4, IpAddress.parse("192.168.136.2"));
    }

    /** Files written before the NIC was recorded say only whether the parent is wireless. */
    @Test
    @SuppressWarnings("unchecked")
    void anOlderFileGivesTheWirelessFlagAndNothingElse() {
        Map<String, Object> file = (Map<String, Object>) Json.parse(FactsJson.writeFile(withNic(
                new ParentNic("iwlwifi", true, false, false, 1, null)), "test"));
        Map<String, Object> kernel = (Map<String, Object>) file.get("kernel");
        kernel.remove("parentNic");
        kernel.remove("containerGateways");
        KernelFacts back = FactsJson.readFile(Json.write(file));
        assertThat(back.parentWireless()).isTrue();
        assertThat(back.parentNic().driver()).isNull();
        assertThat(back.parentNic().promiscuity()).isEqualTo(-1);
        assertThat(back.containerGateways()).isEmpty();
    }

    @Test
    void theFactsNameTheDriverTheHypervisorTheBondAndWhoHoldsPromiscuity() {
        assertThat(FactLines.of(withNic(BOND))).anyMatch(l -> l.startsWith("parent ens33 NIC: driver bonding, bond "
                + "mode balance-alb, promisc on (set by an administrator), promiscuity held 3 times, allmulti on"));
        assertThat(FactLines.of(withNic(new ParentNic("vmxnet3", false, false, false, 0, null))))
                .anyMatch(l -> l.contains("driver vmxnet3 (VMware)") && l.contains("promisc off"));
        assertThat(FactLines.of(withNic(BOND))).contains("container's gateway: 192.168.136.2");
    }

    @Test
    void whatTheNicSays() {
        assertThat(new ParentNic("hv_netvsc", false, false, false, 0, null).hypervisor()).isEqualTo("Hyper-V");
        assertThat(new ParentNic("veth", false, false, false, 0, null).virtual()).isFalse();
        assertThat(new ParentNic("virtio_net", false, false, false, 0, null).virtual()).isTrue();
        assertThat(BOND.rewritesMacs()).isTrue();
        assertThat(new ParentNic("bonding", false, false, false, 0, "802.3ad").rewritesMacs()).isFalse();
    }
}
