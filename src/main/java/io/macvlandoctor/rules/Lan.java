package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.analysis.LanChecks;
import io.macvlandoctor.analysis.PathChecks;
import io.macvlandoctor.model.Exchange;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.ParentNic;
import java.util.ArrayList;
import java.util.List;

/** What the LAN rules share: the peers the container's question reached and lost, their frames, the parent. */
final class Lan {
    private Lan() {
    }

    /** The peers whose question from the container left the host and got nothing back. */
    static List<LanChecks.Peer> lost(FamilyRun run) {
        return run.lan().peers().stream().filter(LanChecks::unanswered).toList();
    }

    static List<LanChecks.Peer> lost(Case c) {
        return lost(c.run());
    }

    /** The frames of the container's and the host's questions to the peers, and their answers. */
    static List<Frame> frames(List<LanChecks.Peer> peers) {
        List<Frame> out = new ArrayList<>();
        for (LanChecks.Peer p : peers) {
            for (Exchange e : new Exchange[] {p.resolve(), p.hostAsk()}) {
                if (e != null) {
                    out.addAll(PathChecks.concat(e.requests(), e.replies()));
                }
            }
        }
        return out;
    }

    static String names(List<LanChecks.Peer> peers) {
        return String.join(", ", peers.stream().map(p -> p.peer().toString()).toList());
    }

    /** The parent as the LAN rules state it: its driver, flags and bond mode. */
    static String nicFact(Case c) {
        return "parent " + c.parent() + ": " + c.k().parentNic().describe();
    }

    /**
     * What to change where the guest runs, for a virtual switch that drops the MACs it did not assign: never a
     * command, since it is not this host's to change.
     */
    static List<String> hypervisorNotes(ParentNic n) {
        String h = n.hypervisor();
        List<String> out = new ArrayList<>();
        if (h == null) {
            out.add("if this host is a virtual machine: let its virtual switch port accept other MACs (VMware: "
                    + "Promiscuous mode, MAC address changes and Forged transmits set to Accept; Hyper-V: MAC "
                    + "address spoofing on; VirtualBox: Promiscuous Mode Allow All)");
            out.add("a physical switch port with port security (a MAC address limit, sticky MACs) drops the frames "
                    + "of every MAC but the first it learned: allow more MACs on the port, or use ipvlan (one MAC "
                    + "for every container)");
            return out;
        }
        switch (h) {
            case "VMware" -> out.add("VMware: on the port group (or the distributed port group) of this VM's "
                    + "adapter, set Security: Promiscuous mode, MAC address changes and Forged transmits to Accept");
            case "Hyper-V" -> out.add("Hyper-V: allow MAC address spoofing on the VM's network adapter "
                    + "(Set-VMNetworkAdapter -VMName VM -MacAddressSpoofing On, with the VM off)");
            case "KVM" -> out.add("KVM: a guest on a Linux bridge gets every MAC; on a macvtap or SR-IOV port, or "
                    + "with libvirt's MAC filtering (nwfilter clean-traffic, trustGuestRxFilters), only its own: put "
                    + "the guest on a bridge, or set trustGuestRxFilters='yes' on its interface");
            case "VMware or VirtualBox" -> out.add("VirtualBox: set the adapter's Promiscuous Mode to Allow All "
                    + "(bridged networking); VMware: set the port group's Promiscuous mode, MAC address changes and "
                    + "Forged transmits to Accept");
            case "AWS", "Google Cloud" -> out.add(h + ": the cloud network delivers frames only for the MAC of the "
                    + "instance's interface and drops others: macvlan cannot reach the LAN there; use ipvlan (L2 or "
                    + "L3 mode) with secondary private addresses on the interface");
            default -> out.add(h + ": allow the guest to send and receive frames for MACs other than its own");
        }
        return out;
    }
}
