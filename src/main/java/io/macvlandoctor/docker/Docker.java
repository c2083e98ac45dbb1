package io.macvlandoctor.docker;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.json.JsonFields;
import io.macvlandoctor.rules.NotMacvlan;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.DockerContainer;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.IpAddress;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Docker Engine API over its unix socket: a container by name or id, its PID (hence its network namespace) and
 * its macvlan network; a network and the running containers on it; the daemon's macvlan networks. Only reads: the
 * tool never changes what Docker manages.
 */
public final class Docker {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String host;
    private final EngineApi api;

    public Docker(String host) {
        this.host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (!this.host.startsWith("unix://") || this.host.length() == "unix://".length()) {
            throw new UsageException("--docker-host " + this.host + ": only unix:// sockets are supported");
        }
        this.api = new EngineApi(Path.of(this.host.substring("unix://".length())));
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
        Map<String, Object> r = get("/containers/" + encode(nameOrId) + "/json", "container '" + nameOrId + "'");
        String name = JsonFields.str(r, "Name") == null ? nameOrId : JsonFields.str(r, "Name").replaceFirst("^/", "");
        Map<String, Object> state = JsonFields.optObj(r, "State");
        boolean running = state != null && JsonFields.bool(state, "Running");
        long pid = state == null ? 0 : JsonFields.num(state, "Pid", 0);
        if (!running || pid <= 0) {
            throw new EnvironmentException("container '" + name + "' is not running (docker start " + name + ")");
        }
        Map<String, Object> settings = JsonFields.optObj(r, "NetworkSettings");
        Map<String, Object> nets = settings == null ? null : JsonFields.optObj(settings, "Networks");
        Map<String, Map<String, Object>> attached = new LinkedHashMap<>();
        if (nets != null) {
            nets.forEach((k, v) -> attached.put(k, JsonFields.obj(v, "network " + k)));
        }
        List<DockerNetwork> macvlans = new ArrayList<>();
        List<DockerNetwork> all = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : attached.entrySet()) {
            String id = JsonFields.str(e.getValue(), "NetworkID");
            DockerNetwork n = network(id != null && !id.isEmpty() ? id : e.getKey());
            all.add(n);
            if (n.isMacvlan()) {
                macvlans.add(n);
            }
        }
        DockerNetwork chosen;
        if (network != null) {
            chosen = all.stream().filter(n -> n.name().equals(network)).findFirst().orElseThrow(() ->
                    new EnvironmentException("container '" + name + "' is not on network '" + network + "' (it is "
                            + "on: " + NotMacvlan.names(all) + ")"));
        } else if (macvlans.size() > 1) {
            throw new UsageException("container '" + name + "' is on several macvlan networks (" + NotMacvlan.names(macvlans)
                    + "): choose one with --network");
        } else if (macvlans.isEmpty()) {
            throw notMacvlan(name, all);
        } else {
            chosen = macvlans.get(0);
        }
        if (!chosen.isMacvlan()) {
            throw notMacvlan(name, List.of(chosen));
        }
        Map<String, Object> cn = attached.get(chosen.name());
        IpAddress ip = cn == null ? null : IpAddress.tryParse(JsonFields.str(cn, "IPAddress"));
        IpAddress ip6 = cn == null ? null : IpAddress.tryParse(JsonFields.str(cn, "GlobalIPv6Address"));
        return new DockerContainer(name, JsonFields.str(r, "Id"), pid, true, chosen, ip, ip6,
                cn == null ? null : JsonFields.str(cn, "MacAddress"));
    }

    /** A network by name or id, with its IPAM pools and the running containers on it. */
    public DockerNetwork network(String nameOrId) {
        Map<String, Object> n = get("/networks/" + encode(nameOrId), "network '" + nameOrId + "'");
        Map<String, Object> opts = JsonFields.optObj(n, "Options");
        List<DockerNetwork.Pool> pools = new ArrayList<>();
        Map<String, Object> ipam = JsonFields.optObj(n, "IPAM");
        if (ipam != null && ipam.get("Config") instanceof List<?> configs) {
            for (Object o : configs) {
                Map<String, Object> cfg = JsonFields.obj(o, "IPAM config");
                Cidr subnet = Cidr.tryParse(JsonFields.str(cfg, "Subnet"));
                if (subnet == null) {
                    continue;
                }
                String range = JsonFields.str(cfg, "IPRange");
                Map<String, String> aux = new LinkedHashMap<>();
                Map<String, Object> a = JsonFields.optObj(cfg, "AuxiliaryAddresses");
                if (a != null) {
                    a.forEach((k, v) -> aux.put(k, String.valueOf(v)));
                }
                pools.add(new DockerNetwork.Pool(subnet, JsonFields.str(cfg, "Gateway"),
                        range == null || range.isBlank() ? null : Cidr.tryParse(range), aux));
            }
        }
        List<DockerNetwork.Member> members = new ArrayList<>();
        Map<String, Object> containers = JsonFields.optObj(n, "Containers");
        if (containers != null) {
            for (Map.Entry<String, Object> e : containers.entrySet()) {
                Map<String, Object> c = JsonFields.obj(e.getValue(), "container " + e.getKey());
                members.add(new DockerNetwork.Member(e.getKey(), JsonFields.str(c, "Name"),
                        address(JsonFields.str(c, "IPv4Address")), address(JsonFields.str(c, "IPv6Address"))));
            }
        }
        members.sort(java.util.Comparator.comparing(m -> m.name() == null ? m.id() : m.name()));
        return new DockerNetwork(JsonFields.str(n, "Name"), JsonFields.str(n, "Id"), JsonFields.str(n, "Driver"),
                opts == null ? null : JsonFields.str(opts, "parent"),
                opts == null || JsonFields.str(opts, "macvlan_mode") == null ? "bridge"
                        : JsonFields.str(opts, "macvlan_mode"), pools, members);
    }

    /** The daemon's macvlan networks, by name. */
    public List<DockerNetwork> macvlanNetworks() {
        String filter = encode("{\"driver\":[\"macvlan\"]}");
        List<DockerNetwork> out = new ArrayList<>();
        for (Object o : list("/networks?filters=" + filter)) {
            String id = JsonFields.str(JsonFields.obj(o, "network"), "Id");
            DockerNetwork n = network(id);
            if (n.isMacvlan()) {
                out.add(n);
            }
        }
        out.sort(java.util.Comparator.comparing(DockerNetwork::name));
        return out;
    }

    /** "192.168.136.240/24" as Docker lists a member's address: the address; empty or absent: null. */
    private static IpAddress address(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return IpAddress.tryParse(s.contains("/") ? s.substring(0, s.indexOf('/')) : s);
    }

    private Map<String, Object> get(String path, String what) {
        try {
            return JsonFields.obj(api.get(path), what);
        } catch (EngineApi.HttpError e) {
            if (e.status == 404) {
                throw new EnvironmentException(what + " not found on " + host);
            }
            throw new EnvironmentException("Docker at " + host + " refused to show " + what + ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(e);
        }
    }

    private List<Object> list(String path) {
        try {
            Object o = api.get(path);
            if (!(o instanceof List<?> l)) {
                throw new EnvironmentException("Docker at " + host + " answered " + path + " with something else than "
                        + "a list");
            }
            return new ArrayList<>(l);
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static DockerProblem notMacvlan(String container, List<DockerNetwork> nets) {
        return new DockerProblem(NotMacvlan.of(container, nets));
    }

    private EnvironmentException unreachable(Exception e) {
        String m = String.valueOf(e.getMessage());
        String why = m.contains("ermission denied") || e instanceof java.nio.file.AccessDeniedException
                ? "permission denied on the socket (run as root, or join the docker group)"
                : m.contains("No such file") || m.contains("onnection refused")
                        || e instanceof java.nio.file.NoSuchFileException || e instanceof java.net.ConnectException
                ? "no Docker daemon answers there (is it running?)" : m;
        return new EnvironmentException("cannot reach Docker at " + host + ": " + why, e);
    }
}
