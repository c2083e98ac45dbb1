package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Side;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.change.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host changes are made on: iproute2 with argv, programs run in a namespace, sysctls, files, mounts. */
public class SystemHost implements Host {
    private final ProcessRunner runner;

    public SystemHost(ProcessRunner runner) {
        this.runner = runner;
    }

    private Ip ip(Netns ns) {
        return new Ip(ns, runner);
    }

    private static Result of(ProcessRunner.Result r) {
        return new Result(r.ok(), r.stdout(), r.stderr());
    }

    @Override
    public Result ip(Netns ns, List<String> args) {
        return of(ip(ns).tryRun(args));
    }

    @Override
    public Result exec(Netns ns, List<String> argv) {
        List<String> a = new ArrayList<>(ns.execPrefix());
        a.addAll(argv);
        return of(runner.run(a));
    }

    @Override
    public void writeSysctl(Netns ns, String name, int value) {
        new Sysctls(ns).write(name, value);
    }

    @Override
    public Integer readSysctl(Netns ns, String name) {
        return new Sysctls(ns).read(List.of(name)).get(name);
    }

    @Override
    public List<Link> links(Netns ns) {
        return ip(ns).links();
    }

    @Override
    public boolean promisc(Netns ns, String name) {
        return ip(ns).nic(name).promisc();
    }

    @Override
    public List<Route> routes(Netns ns) {
        return ip(ns).routes();
    }

    @Override
    public List<Neighbour> neighbours(Netns ns, IpAddress addr) {
        return ip(ns).neighbours(addr, Side.HOST);
    }

    @Override
    public List<Neighbour> proxies(Netns ns) {
        return ip(ns).proxies(Side.HOST);
    }

    @Override
    public List<PolicyRule> rules(Netns ns) {
        return ip(ns).rules();
    }

    @Override
    public void flushNeighbours(Netns ns, List<IpAddress> ips) {
        ip(ns).flushNeighbours(ips);
    }

    @Override
    public String readFile(String path) {
        return ConfigFiles.readOrNull(Path.of(path));
    }

    @Override
    public void writeFile(String path, String text, int mode) {
        ConfigFiles.writeAtomically(Path.of(path), text, mode);
    }

    @Override
    public int mode(String path) {
        return ConfigFiles.mode(Path.of(path));
    }

    @Override
    public boolean delete(String path) {
        return ConfigFiles.delete(Path.of(path));
    }

    @Override
    public void mkdir(String path) {
        ConfigFiles.mkdir(Path.of(path));
    }

    @Override
    public boolean rmdirIfEmpty(String path) {
        return ConfigFiles.rmdirIfEmpty(Path.of(path));
    }

    @Override
    public void symlink(String path, String target) {
        ConfigFiles.symlink(Path.of(path), target);
    }

    @Override
    public String readLink(String path) {
        return ConfigFiles.readLink(Path.of(path));
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** By the system call, as `mount -t tracefs nodev DIR` does: this runs twice in every probing run. */
    @Override
    public void mountTracefs(String dir) {
        try {
            LibC.mount("nodev", dir, "tracefs", 0, null);
        } catch (com.sun.jna.LastErrorException e) {
            throw new EnvironmentException("mount -t tracefs nodev " + dir + " failed: " + Namespaces.strerror(e), e);
        }
    }

    /**
     * Detached (umount -l): a mount under a shared /run has copies in the mount namespaces made since (every
     * `ip netns exec` makes one); a lazy unmount takes them all, even one a process there holds.
     */
    @Override
    public boolean unmount(String dir) {
        try {
            LibC.umount2(dir, LibC.MNT_DETACH);
            return true;
        } catch (com.sun.jna.LastErrorException e) {
            return false;
        }
    }

    @Override
    public boolean tracefsMountedAt(String dir) {
        return Tracefs.mountPoints().contains(dir);
    }

}
