package io.macvlandoctor.lab;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.system.Journal;
import io.macvlandoctor.system.Namespaces;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.Programs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker daemon confined to the lab's host namespace (never the machine's: dockerd rewrites the firewall of the
 * namespace it runs in), a busybox image imported from busybox-static (no registry), the article's macvlan network
 * and container. Everything lives under /run/macvlan-doctor/lab-NAME and goes with `lab down`.
 */
public final class LabDocker {
    public static final String CONTAINER = "c1";
    public static final String NETWORK = "macvlan0";
    private static final String IMAGE = "mvd-busybox:latest";
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private final ProcessRunner runner;

    public LabDocker(ProcessRunner runner) {
        this.runner = runner;
    }

    static Path dir(String lab) {
        return Journal.DEFAULT_ROOT.resolve("lab-" + LabSpec.validateName(lab));
    }

    public static String host(String lab) {
        return "unix://" + dir(lab).resolve("docker.sock");
    }

    public static boolean isDockerLab(String lab) {
        return Files.exists(dir(lab).resolve("docker.pid"));
    }

    /** Starts the daemon in the lab's host namespace and runs the article's commands against it. */
    public List<String> start(LabSpec spec) {
        for (String tool : List.of("dockerd", "docker", "containerd", "runc")) {
            if (!Programs.onPath(tool)) {
                throw new EnvironmentException(tool + " not found: install Docker (apt-get install docker.io)");
            }
        }
        if (!Files.isExecutable(BUSYBOX) || !isStatic(BUSYBOX)) {
            throw new EnvironmentException("a static busybox is needed for the lab's image (apt-get install "
                    + "busybox-static)");
        }
        Netns host = spec.hostNs();
        Namespaces.requireNotCurrent(host, "the lab's Docker daemon");
        Path d = dir(spec.name());
        List<String> log = new ArrayList<>();
        try {
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            ProcessBuilder pb = new ProcessBuilder("setsid", "nsenter", "--net=" + host.file(), "dockerd",
                    "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
                    "--storage-driver=vfs", "--data-root", d.resolve("data").toString(), "--exec-root",
                    d.resolve("exec").toString(), "-H", host(spec.name()), "--pidfile", d.resolve("docker.pid").toString())
                    .redirectErrorStream(true).redirectOutput(d.resolve("dockerd.log").toFile());
            pb.start();
            awaitDaemon(spec.name(), d);
            log.add("docker    dockerd confined to " + host.ref() + " (" + host(spec.name()) + ", no iptables)");
            Path rootfs = d.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
            for (String applet : List.of("sh", "sleep", "ip", "ping", "arping", "cat", "ls")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Path tar = d.resolve("rootfs.tar");
            run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
            docker(spec.name(), "import", tar.toString(), IMAGE);
            String subnet = new Cidr(spec.hostIp(), spec.prefix()).network().toString();
            String range = new Cidr(spec.containerIp(), 28).network().toString();
            // The article's own command (dual-stack: with --ipv6 and a second subnet, as users write it).
            List<String> create = new ArrayList<>(List.of("network", "create", "-d", "macvlan", "--subnet=" + subnet,
                    "--gateway=" + spec.gatewayIp(), "--ip-range=" + range));
            List<String> run = new ArrayList<>(List.of("run", "-d", "--name", CONTAINER, "--network=" + NETWORK,
                    "--ip=" + spec.containerIp()));
            if (spec.v6() != null) {
                String subnet6 = new Cidr(spec.v6().host(), spec.v6().prefix()).network().toString();
                create.addAll(List.of("--ipv6", "--subnet=" + subnet6, "--gateway=" + spec.v6().gateway()));
                run.add("--ip6=" + spec.v6().container());
            }
            create.addAll(List.of("-o", "parent=" + spec.parentIface(), NETWORK));
            run.addAll(List.of(IMAGE, "/bin/sleep", "2147483647"));
            docker(spec.name(), create.toArray(String[]::new));
            log.add("docker    " + String.join(" ", create));
            docker(spec.name(), run.toArray(String[]::new));
            log.add("docker    " + String.join(" ", run.subList(0, run.size() - 2)));
            return log;
        } catch (IOException e) {
            throw new EnvironmentException("cannot prepare the lab's Docker daemon under " + d + ": " + e.getMessage(), e);
        }
    }

    /** Runs `docker ARGS` against the lab's daemon. */
    public String docker(String lab, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker", "-H", host(lab)));
        argv.addAll(List.of(args));
        return run(argv);
    }

    private String run(List<String> argv) {
        ProcessRunner.Result r = runner.run(argv);
        if (!r.ok()) {
            throw new EnvironmentException(String.join(" ", argv) + " failed: " + r.firstErrorLine());
        }
        return r.stdout();
    }

    private void awaitDaemon(String lab, Path d) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (runner.run(List.of("docker", "-H", host(lab), "version")).exitCode() != 0) {
            if (System.nanoTime() > deadline) {
                throw new EnvironmentException("the lab's Docker daemon did not start (see " + d.resolve("dockerd.log")
                        + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while the lab's Docker daemon started", e);
            }
        }
    }

    /**
     * Stops the daemon (it stops its containers), unmounts what it left and removes the lab's directory. Only a
     * dockerd running inside the lab's own host namespace is stopped.
     */
    public void stop(String lab, long hostNsInode) {
        Path d = dir(lab);
        if (!Files.exists(d)) {
            return;
        }
        Path pidFile = d.resolve("docker.pid");
        // The lab's containers run sleep as PID 1, which ignores SIGTERM: remove them at once rather than let the
        // daemon wait ten seconds for each.
        ProcessRunner.Result ps = runner.run(List.of("docker", "-H", host(lab), "ps", "-aq"));
        if (ps.ok() && !ps.stdout().isBlank()) {
            List<String> rm = new ArrayList<>(List.of("docker", "-H", host(lab), "rm", "-f"));
            rm.addAll(List.of(ps.stdout().strip().split("\\s+")));
            runner.run(rm);
        }
        if (Files.exists(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).filter(p -> Namespaces.holds(hostNsInode, pid)).ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
            } catch (IOException | NumberFormatException e) {
                // No daemon to stop.
            }
        }
        unmountBelow(d);
        if (!mountedBelow(d)) {
            deleteTree(d);
        }
    }

    private void unmountBelow(Path d) {
        List<String> mounts = mountsBelow(d);
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : mounts) {
            runner.run(List.of("umount", "-l", m));
        }
    }

    private boolean mountedBelow(Path d) {
        return !mountsBelow(d).isEmpty();
    }

    private static List<String> mountsBelow(Path d) {
        List<String> l = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(d + "/")) {
                    l.add(f[1]);
                }
            }
        } catch (IOException e) {
            // Without /proc/self/mounts nothing is known to be mounted.
        }
        return l;
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Leftovers in /run are harmless and go at reboot.
                }
            });
        } catch (IOException e) {
            // As above.
        }
    }

    /** A 64-bit little-endian ELF without a PT_INTERP segment needs no libc in the image. */
    static boolean isStatic(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            if (b.length < 64 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F' || b[4] != 2) {
                return false;
            }
            long phoff = h.getLong(0x20);
            int phentsize = h.getShort(0x36) & 0xffff;
            int phnum = h.getShort(0x38) & 0xffff;
            for (int i = 0; i < phnum; i++) {
                long at = phoff + (long) i * phentsize;
                if (at + 4 > b.length) {
                    return false;
                }
                if (h.getInt((int) at) == 3) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
