package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shell: scripted through a pipe, and driven in tmux as a person would. */
@RootOnly
class ShellIT {
    @TempDir
    Path dir;

    record Piped(int exit, String out) {
    }

    static Piped pipe(String name, String script, Path home) throws IOException, InterruptedException {
        return pipe(List.of("--lab", name), script, home);
    }

    static Piped pipe(List<String> target, String script, Path home) throws IOException, InterruptedException {
        File out = File.createTempFile("mvd-shell", ".out");
        out.deleteOnExit();
        List<String> argv = new ArrayList<>(List.of(java(), "-Duser.home=" + home, "-jar", Cli.jar().toString(),
                "shell"));
        argv.addAll(target);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Piped(p.exitValue(), Files.readString(out.toPath()));
    }

    @Test
    void pipedCommandsRunOneLineEachAndTheWorstExitCodeWins() throws Exception {
        try (TestLab lab = TestLab.up("--fixed")) {
            Path export = dir.resolve("s.pcapng");
            Piped ok = pipe(lab.name, String.join("\n", "probe icmp --from host", "probe arp --from container",
                    "probe icmp --from container --count 2", "probe arp --from container --to 192.168.136.2",
                    "probe icmp --from container --to 192.168.136.2", "show path", "show facts",
                    "explain route-mismatch", "export " + export, "verify", "exit", ""), dir);
            assertThat(ok.exit()).as(ok.out()).isZero();
            assertThat(ok.out()).contains("1 of 1 answered").contains("2 of 2 answered")
                    .contains("PASS  host-to-container.src-mac-is-shim").contains("PASS  container-to-host.arp-flux")
                    .contains("container -> host: ICMP echo 192.168.136.240 -> 192.168.136.130")
                    .contains("arp_ignore: all=0").contains("route-mismatch: the route through the shim names")
                    .contains("frames written to " + export).contains("verdict: PASS")
                    .contains("PASS  lan.resolve").contains("PASS  lan.icmp").contains("PASS  lan.src-mac");
            Cli.Result ts = Cli.exec("tshark", "-r", export.toString(), "-T", "fields", "-e", "frame.interface_name");
            assertThat(ts.out()).contains("container:eth0").contains("host:macvlan0-host");

            Piped bad = pipe(lab.name, "probe icmp --from nowhere\nshow frames --last 2\n", dir);
            assertThat(bad.exit()).as(bad.out()).isEqualTo(2);
            assertThat(bad.out()).contains("Invalid value for option '--from'");
        }
    }

    /** IPv6 in the shell: echo and neighbour solicitation both ways on a dual-stack lab, and the IPv6 checks. */
    @Test
    void ipv6ProbesOnADualStackLab() throws Exception {
        try (TestLab lab = TestLab.up("--fixed", "--ipv6")) {
            Piped r = pipe(lab.name, String.join("\n", "probe icmp6 --from host", "probe ndp --from container",
                    "probe icmp6 --from container", "explain ndp-proxy", "verify", "exit", ""), dir);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out()).contains("1 of 1 answered").contains("NDP")
                    .contains("PASS  ipv6.container-to-host.ndp-proxy").contains("PASS  ipv6.host-to-container.icmp")
                    .contains("ndp-proxy: IPv6 has no ARP flux").contains("verdict: PASS");
            assertThat(r.out()).doesNotContain("0 of 1 answered");
        }
    }

    /**
     * A probe by hand shows the kernel's decisions about it: on a hand-built host whose nft input chain (a table of
     * its own, inet family) drops echo requests, the drop with its reason, and the route lookups that came before.
     */
    @Test
    void aProbeByHandShowsTheKernelsDecisions() throws Exception {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, true)) {
            Cli.inNs(t.host, "nft", "add table inet guard; add chain inet guard in { type filter hook input priority "
                    + "-5; }; add rule inet guard in icmp type echo-request drop");
            String[] target = t.target("x");
            Path html = dir.resolve("session.html");
            Piped r = pipe(List.of(target).subList(1, target.length), "probe icmp --from container\nexport html "
                    + html + "\n", dir);
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            // The session's frames as the HTML report: a ladder of the exchange, the parent and shim as lanes.
            String page = Files.readString(html);
            assertThat(page).contains("<svg class=\"ladder\"").contains(">host:" + t.n.parent() + "<")
                    .contains(">host:" + t.n.shim() + "<").contains("echo request");
            assertThat(r.out()).contains("0 of 1 answered")
                    .contains("  kernel: route lookup " + t.n.ctrIp() + " -> " + t.n.hostIp())
                    .contains("  kernel: dropped an IPv4 packet at nft_do_chain, reason NETFILTER_DROP");
            assertThat(Tracing.leftovers()).isEmpty();
        }
    }

    @Test
    void theShellsSetupIsUndoneWhenItEndsUnlessKept() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String before = lab.hostState();
            Piped r = pipe(lab.name, "setup\nprobe icmp --from host\n", dir);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out()).contains("1 of 1 answered").contains("undone: create macvlan0-host");
            assertThat(lab.hostState()).isEqualTo(before);

            Piped kept = pipe(lab.name, "setup --keep\nexit\n", dir);
            assertThat(kept.exit()).as(kept.out()).isZero();
            assertThat(kept.out()).contains("kept:");
            assertThat(lab.hostPingsContainer()).isTrue();
            assertThat(Cli.tool("teardown", "--lab", lab.name).exit()).isZero();
        }
    }

    /** TAB completes, a capture streams frames under the prompt, Ctrl-C stops it and the prompt is back. */
    @Test
    void inTmuxTabCompletesAndCtrlCStopsTheCapture() throws Exception {
        String session = "mvd-shell-" + ProcessHandle.current().pid();
        Path status = dir.resolve("status");
        try (TestLab lab = TestLab.up("--fixed")) {
            String cmd = java() + " -Duser.home=" + dir + " -jar " + Cli.jar() + " shell --lab " + lab.name
                    + "; echo $? > " + status + "; sleep 60";
            assertThat(Cli.exec("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", cmd).exit()).isZero();
            awaitPane(session, s -> s.contains("macvlan-doctor[host:ens33 ctr:192.168.136.240]>"), "the prompt");
            keys(session, "pro", "Tab");
            awaitPane(session, s -> s.contains("]> probe"), "TAB completing 'pro' to 'probe'");
            keys(session, "C-u", "verify --shim mac", "Tab");
            awaitPane(session, s -> s.contains("]> verify --shim macvlan0-host"), "TAB completing the shim's name");
            keys(session, "C-u", "capture start", "Enter");
            awaitPane(session, s -> s.contains("capturing on host:ens33"), "the capture");
            Cli.inNs(lab.ctrNs(), "arping", "-c", "1", "-w", "1", "-I", "eth0", TestLab.HOST_IP);
            awaitPane(session, s -> s.contains("container:eth0         egress") && s.contains("ARP who-has"),
                    "frames printed while the prompt waits");
            keys(session, "C-c");
            awaitPane(session, s -> s.contains("capture stopped:"), "Ctrl-C stopping the capture");
            String pane = pane(session);
            assertThat(pane.strip().lines().reduce((a, b) -> b).orElse(""))
                    .as("back at the prompt").contains("macvlan-doctor[host:ens33 ctr:192.168.136.240]>");
            keys(session, "exit", "Enter");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(status) || Files.readString(status).isBlank()) {
                assertThat(System.nanoTime()).as("the shell ends").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(Files.readString(status).strip()).isEqualTo("0");
            assertThat(Files.readString(dir.resolve(".macvlan-doctor_history"))).contains("capture start");
        } finally {
            Cli.exec("tmux", "kill-session", "-t", session);
        }
    }

    /**
     * A shell in tmux with a setup of its own, on a hand-built topology: the terminal goes away (the tmux session
     * killed, as when an SSH connection drops) or SIGHUP comes with the terminal still there. Either way the
     * setup is undone, the exit code is 129 and stderr holds one line. A wrapper that outlives the terminal
     * (ignoring SIGHUP itself, the shell's restored to the default) records the exit code.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"the terminal goes away", "SIGHUP"})
    void aHangUpUndoesTheShellsSetup(String how) throws Exception {
        String session = "mvd-hup-" + ProcessHandle.current().pid() + "-" + how.length();
        Path status = dir.resolve("status");
        Path err = dir.resolve("err");
        Path wrapper = dir.resolve("wrapper.pl");
        Files.writeString(wrapper, "$SIG{HUP} = 'IGNORE'; my $pid = fork(); if (!$pid) { $SIG{HUP} = 'DEFAULT'; "
                + "open(STDERR, '>', '" + err + "'); exec @ARGV; die $!; } waitpid($pid, 0); open(my $f, '>', '"
                + status + "'); print $f (($? & 127) ? 128 + ($? & 127) : $? >> 8), \"\\n\"; close($f);\n");
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, false)) {
            String before = t.hostState();
            String cmd = "perl " + wrapper + " " + java() + " -Duser.home=" + dir + " -jar " + Cli.jar() + " "
                    + String.join(" ", t.target("shell"));
            assertThat(Cli.exec("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", cmd).exit())
                    .isZero();
            try {
                awaitPane(session, s -> s.contains("macvlan-doctor[host:" + t.n.parent()), "the prompt");
                keys(session, "setup", "Enter");
                awaitPane(session, s -> s.contains("this fix is undone when the shell ends"), "the setup");
                assertThat(t.hostState()).isNotEqualTo(before);
                if (how.equals("SIGHUP")) {
                    String pid = Cli.exec("pgrep", "-f", "^" + java() + " -Duser.home=" + dir).out().strip();
                    assertThat(pid).as("the shell's JVM").matches("[0-9]+");
                    assertThat(Cli.exec("kill", "-HUP", pid).exit()).isZero();
                } else {
                    Cli.exec("tmux", "kill-session", "-t", session);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!Files.exists(status) || Files.readString(status).isBlank()) {
                    assertThat(System.nanoTime()).as("the shell ends").isLessThan(deadline);
                    Thread.sleep(50);
                }
            } finally {
                Cli.exec("tmux", "kill-session", "-t", session);
            }
            String stderr = Files.readString(err);
            assertThat(Files.readString(status).strip()).as(stderr).isEqualTo("129");
            assertThat(stderr.strip().lines().toList()).containsExactly(
                    "macvlan-doctor: interrupted by SIGHUP; undid this run's 3 changes");
            assertThat(t.hostState()).isEqualTo(before);
        }
    }

    private static void keys(String session, String... keys) {
        List<String> argv = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
        argv.addAll(List.of(keys));
        assertThat(Cli.exec(argv.toArray(String[]::new)).exit()).isZero();
    }

    private static String pane(String session) {
        return Cli.exec("tmux", "capture-pane", "-t", session, "-p").out();
    }

    private static void awaitPane(String session, Predicate<String> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!p.test(pane(session))) {
            assertThat(System.nanoTime()).as("waiting for " + what + "; the pane shows:\n" + pane(session))
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
