package io.macvlandoctor.cli;

import io.macvlandoctor.ExitCodes;
import io.macvlandoctor.Signals;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.lab.Fault;
import io.macvlandoctor.lab.Lab;
import io.macvlandoctor.lab.LabSpec;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `lab up`: builds the article's topology, before or after the fix, or broken in named ways. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build the lab. Without --fixed or --fault it is the state before the article's fix: "
            + "no shim, host and container cannot talk.", ""})
public final class LabUpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", defaultValue = LabSpec.DEFAULT_NAME, description = "Lab name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--fixed", description = "Also apply the article's fix: shim in bridge mode, route to the container.")
    boolean fixed;

    @Option(names = "--fault", paramLabel = "F",
            description = "Start from the fixed state and break it (repeatable): shim-down, shim-mode[=private|vepa], "
                + "shim-parent, no-route, route-mismatch, arp-ignore, arp-filter, rp-filter, host-firewall, "
                + "ip-conflict, ndp-proxy[=all|forwarding|proxy_ndp|entry] (with --ipv6), parent-down, "
                + "lan-mac-filtered.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--docker", description = "The container is a real Docker container: a Docker daemon confined to "
            + "the lab's host namespace, the article's docker network create and docker run.")
    boolean docker;

    @Option(names = "--ipv6", description = "Dual-stack: IPv6 addresses too (fd00:136::2, ::130, ::240 unless "
            + "--host-ip6 and friends say otherwise); the fix then includes proxy NDP on the shim.")
    boolean ipv6;

    @Option(names = "--ipv6-prefix", defaultValue = "64", description = "IPv6 prefix length (default: ${DEFAULT-VALUE}).")
    int prefix6;

    @Option(names = "--gateway-ip6", defaultValue = "fd00:136::2",
            description = "LAN peer IPv6 address (default: ${DEFAULT-VALUE}).")
    String gatewayIp6;

    @Option(names = "--host-ip6", defaultValue = "fd00:136::130",
            description = "Parent IPv6 address (default: ${DEFAULT-VALUE}).")
    String hostIp6;

    @Option(names = "--container-ip6", defaultValue = "fd00:136::240",
            description = "Container IPv6 address (default: ${DEFAULT-VALUE}).")
    String containerIp6;

    @Option(names = "--containers", defaultValue = "1", paramLabel = "N",
            description = "How many containers (mvd-NAME-ctr, -ctr2, ...; addresses counting up from --container-ip); "
                + "verify --lab then checks them all (default: ${DEFAULT-VALUE}).")
    int containers;

    @Option(names = "--parent-iface", defaultValue = "ens33", description = "Host parent (default: ${DEFAULT-VALUE}).")
    String parentIface;

    @Option(names = "--lan-iface", defaultValue = "gw0", description = "LAN peer interface (default: ${DEFAULT-VALUE}).")
    String lanIface;

    @Option(names = "--container-iface", defaultValue = "eth0",
            description = "Container interface (default: ${DEFAULT-VALUE}).")
    String containerIface;

    @Option(names = "--shim", defaultValue = "macvlan0-host", description = "Shim name (default: ${DEFAULT-VALUE}).")
    String shim;

    @Option(names = "--subnet-prefix", defaultValue = "24", description = "Prefix length (default: ${DEFAULT-VALUE}).")
    int prefix;

    @Option(names = "--gateway-ip", defaultValue = "192.168.136.2",
            description = "LAN peer address (default: ${DEFAULT-VALUE}).")
    String gatewayIp;

    @Option(names = "--host-ip", defaultValue = "192.168.136.130",
            description = "Parent address (default: ${DEFAULT-VALUE}).")
    String hostIp;

    @Option(names = "--container-ip", defaultValue = "192.168.136.240",
            description = "Container address (default: ${DEFAULT-VALUE}).")
    String containerIp;

    @Option(names = "--container-mac", defaultValue = "02:42:c0:a8:88:f0",
            description = "Container MAC (default: ${DEFAULT-VALUE}).")
    String containerMac;

    @Override
    public Integer call() {
        if (prefix < 1 || prefix > 30) {
            throw new UsageException("--subnet-prefix must be between 1 and 30");
        }
        LabSpec lab = new LabSpec(name, parentIface, lanIface, containerIface, shim, prefix,
                IpAddress.parse(gatewayIp), IpAddress.parse(hostIp), IpAddress.parse(containerIp), containerMac,
                !ipv6 ? null : new LabSpec.V6(prefix6, IpAddress.parse(gatewayIp6), IpAddress.parse(hostIp6),
                        IpAddress.parse(containerIp6)));
        List<Fault> parsed = faults.stream().map(Fault::parse).toList();
        Privileges.requireNetworkAdmin("lab up");
        PrintWriter out = spec.commandLine().getOut();
        Lab labs = new Lab(new ProcessRunner());
        List<String> log = labs.up(lab, fixed, parsed, docker, containers);
        if (Signals.received() != null) {
            // Built as the signal came: the lab the run never reported as up goes with it.
            labs.down(name);
            Signals.noteCleanup("removed the lab '" + name + "' it had just built");
            return Signals.exitCode();
        }
        out.println("lab '" + name + "' is up:");
        log.forEach(l -> out.println("  " + l));
        out.println("remove it with: macvlan-doctor lab down" + (name.equals(LabSpec.DEFAULT_NAME) ? "" : " --name " + name));
        out.flush();
        return ExitCodes.OK;
    }
}
