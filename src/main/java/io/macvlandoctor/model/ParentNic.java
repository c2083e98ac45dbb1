package io.macvlandoctor.model;

import java.util.Set;

/**
 * What the parent is, as far as the LAN half of the path cares: its driver (a hypervisor's virtual NIC, a Wi-Fi
 * one, a bond), its promiscuous and all-multicast flags and who holds them (the flag an administrator set with
 * `ip link set ... promisc on`, or only the counter that captures and macvlan itself raise), the bond's mode.
 *
 * @param driver the driver's name as ethtool reports it ("vmxnet3", "virtio_net", "veth"); null when not known
 * @param promisc IFF_PROMISC: set by `ip link set promisc on` or by anything that holds promiscuity
 * @param promiscuity how many hold it (the flag counts once, each capture or macvlan child without unicast
 *     filtering once more); -1 when not known
 * @param bondMode the bonding mode ("balance-alb"); null when the parent is no bond
 */
public record ParentNic(String driver, boolean wireless, boolean promisc, boolean allmulti, int promiscuity,
                        String bondMode) {
    public static final ParentNic UNKNOWN = new ParentNic(null, false, false, false, -1, null);

    /** The drivers of the virtual NICs that hypervisors and clouds give a guest. */
    private static final Set<String> VIRTUAL = Set.of("vmxnet3", "vmxnet", "e1000", "e1000e", "hv_netvsc",
            "virtio_net", "ena", "gve", "xen-netfront", "vif", "pcnet32");

    public boolean virtual() {
        return driver != null && VIRTUAL.contains(driver);
    }

    /** The bond modes that send (or answer ARP) with a slave's MAC instead of the frame's own. */
    public boolean rewritesMacs() {
        return "balance-tlb".equals(bondMode) || "balance-alb".equals(bondMode);
    }

    /**
     * The NIC as the facts and the LAN causes state it: "driver vmxnet3 (VMware), promisc off, promiscuity held
     * 0 times".
     */
    public String describe() {
        String h = hypervisor();
        return "driver " + (driver == null ? "unknown" : driver) + (h == null ? "" : " (" + h + ")")
                + (wireless ? ", Wi-Fi" : "") + (bondMode == null ? "" : ", bond mode " + bondMode)
                + ", promisc " + (promisc ? "on (set by an administrator)" : "off")
                + (promiscuity < 0 ? "" : ", promiscuity held " + promiscuity + " time" + (promiscuity == 1 ? "" : "s"))
                + (allmulti ? ", allmulti on" : "");
    }

    /** Where the guest sits, for the notes that say what to change there; null for no known hypervisor. */
    public String hypervisor() {
        if (driver == null) {
            return null;
        }
        return switch (driver) {
            case "vmxnet3", "vmxnet", "pcnet32" -> "VMware";
            case "hv_netvsc" -> "Hyper-V";
            case "ena" -> "AWS";
            case "gve" -> "Google Cloud";
            case "xen-netfront", "vif" -> "Xen";
            case "virtio_net" -> "KVM";
            case "e1000", "e1000e" -> "VMware or VirtualBox";
            default -> null;
        };
    }
}
