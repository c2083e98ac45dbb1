package io.macvlandoctor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.DockerContainer;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Docker Engine API over its unix socket: a container by name or id, its PID (hence its network namespace) and
 * its macvlan network. Only reads: the tool never changes what Docker manages.
 */
public final class Docker {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String host;

    public Docker(String host) {
        this.host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (!this.host.startsWith("unix://")) {
            throw new UsageException("--docker-host " + this.host + ": only unix:// sockets are supported");
        }
    }

    /** --docker-host, else DOCKER_HOST, else the default socket. */
    public static Docker of(String option) {
        return new Docker(option != null ? option : System.getenv("DOCKER_HOST"));
    }

    public String host() {
        return host;
    }

    /**
     * The container and the macvlan network to look at: the one named by network, or its only macvlan network.
     *
     * @throws DockerProblem when it is on no macvlan network (a diagnosis, not an error)
     */
    public DockerContainer container(String nameOrId, String network) {
        try (DockerClient c = client()) {
            InspectContainerResponse r;
            try {
                r = c.inspectContainerCmd(nameOrId).exec();
            } catch (NotFoundException e) {
                throw new EnvironmentException("container '" + nameOrId + "' not found on " + host);
            }
            String name = r.getName() == null ? nameOrId : r.getName().replaceFirst("^/", "");
            boolean running = r.getState() != null && Boolean.TRUE.equals(r.getState().getRunning());
            long pid = r.getState() == null || r.getState().getPidLong() == null ? 0 : r.getState().getPidLong();
            if (!running || pid <= 0) {
                throw new EnvironmentException("container '" + name + "' is not running (docker start " + name + ")");
            }
            Map<String, ContainerNetwork> nets = r.getNetworkSettings() == null ? Map.of()
                    : r.getNetworkSettings().getNetworks();
            List<DockerNetwork> macvlans = new ArrayList<>();
            List<DockerNetwork> all = new ArrayList<>();
            for (Map.Entry<String, ContainerNetwork> e : nets.entrySet()) {
                DockerNetwork n = network(c, e.getKey(), e.getValue().getNetworkID());
                all.add(n);
                if (n.isMacvlan()) {
                    macvlans.add(n);
                }
            }
            DockerNetwork chosen;
            if (network != null) {
                chosen = all.stream().filter(n -> n.name().equals(network)).findFirst().orElseThrow(() ->
                        new EnvironmentException("container '" + name + "' is not on network '" + network + "' (it is "
                                + "on: " + names(all) + ")"));
            } else if (macvlans.size() > 1) {
                throw new UsageException("container '" + name + "' is on several macvlan networks (" + names(macvlans)
                        + "): choose one with --network");
            } else if (macvlans.isEmpty()) {
                throw notMacvlan(name, all);
            } else {
                chosen = macvlans.get(0);
            }
            if (!chosen.isMacvlan()) {
                throw notMacvlan(name, List.of(chosen));
            }
            ContainerNetwork cn = nets.get(chosen.name());
            IpAddress ip = cn == null ? null : IpAddress.tryParse(cn.getIpAddress());
            IpAddress ip6 = cn == null ? null : IpAddress.tryParse(cn.getGlobalIPv6Address());
            return new DockerContainer(name, r.getId(), pid, true, chosen, ip, ip6,
                    cn == null ? null : cn.getMacAddress());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (RuntimeException e) {
            if (e instanceof EnvironmentException || e instanceof UsageException || e instanceof DockerProblem) {
                throw e;
            }
            throw unreachable(e);
        }
    }

    private static DockerNetwork network(DockerClient c, String name, String id) {
        Network n = c.inspectNetworkCmd().withNetworkId(id != null ? id : name).exec();
        Map<String, String> opts = n.getOptions() == null ? Map.of() : n.getOptions();
        List<DockerNetwork.Pool> pools = new ArrayList<>();
        if (n.getIpam() != null && n.getIpam().getConfig() != null) {
            for (Network.Ipam.Config cfg : n.getIpam().getConfig()) {
                Cidr subnet = Cidr.tryParse(cfg.getSubnet());
                if (subnet != null) {
                    Cidr range = cfg.getIpRange() == null || cfg.getIpRange().isBlank() ? null
                            : Cidr.tryParse(cfg.getIpRange());
                    pools.add(new DockerNetwork.Pool(subnet, cfg.getGateway(), range, Map.of()));
                }
            }
        }
        return new DockerNetwork(n.getName(), n.getId(), n.getDriver(), opts.get("parent"),
                opts.getOrDefault("macvlan_mode", "bridge"), pools);
    }

    private static DockerProblem notMacvlan(String container, List<DockerNetwork> nets) {
        return new DockerProblem(Cause.NOT_MACVLAN, "container '" + container + "' is not on a macvlan network (it "
                + "is on: " + names(nets) + "): the host-to-container fix of macvlan does not apply to it",
                List.of("networks of " + container + ": " + names(nets)),
                List.of("connect it to a macvlan network if it should be on one: docker network connect NETWORK "
                        + container));
    }

    private static String names(List<DockerNetwork> l) {
        return l.isEmpty() ? "none" : l.stream().map(n -> n.name() + " (" + n.driver() + ")")
                .collect(Collectors.joining(", "));
    }

    private EnvironmentException unreachable(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        String why = m.contains("ermission denied") ? "permission denied on the socket (run as root, or join the "
                + "docker group)" : m.contains("No such file") || m.contains("onnection refused")
                ? "no Docker daemon answers there (is it running?)" : root.getClass().getSimpleName() + ": " + m;
        return new EnvironmentException("cannot reach Docker at " + host + ": " + why, e);
    }

    private DockerClient client() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).withDockerTlsVerify(false).build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(3)).responseTimeout(Duration.ofSeconds(15)).build();
        return DockerClientImpl.getInstance(config, http);
    }
}
