package io.macvlandoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs that are killed, collide, or see the system change under them. */
@RootOnly
class ReliabilityIT {
    @Test
    void afterKillDashNineTheNextRunSaysSoAndRecoverUndoesIt() throws Exception {
        try (TestLab lab = TestLab.up()) {
            Cli.inNs(lab.hostNs(), "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
            String before = lab.hostState();
            // Killed once the fix is in, before the next round of probes makes changes of its own (its trace
            // instance): a kill at a moment the test picks, not one that races the run.
            try (Running r = Running.start(Map.of("MVD_TRACE_PAUSE", "fix applied@60000"), "verify", "--lab",
                    lab.name, "--setup")) {
                r.awaitTrace("fix applied");
                assertThat(lab.routes()).contains("macvlan0-host");
                r.signal("KILL");
                r.awaitExit();
            }
            assertThat(lab.hostState()).as("kill -9 leaves the fix in place").isNotEqualTo(before);
            Cli.Result next = Cli.tool("verify", "--lab", lab.name);
            assertThat(next.err()).contains("was killed before it undid 3 changes")
                    .contains("macvlan-doctor teardown --recover");
            Cli.Result recover = Cli.tool("teardown", "--lab", lab.name, "--recover");
            assertThat(recover.exit()).as(recover.toString()).isZero();
            assertThat(recover.out()).contains("undone: create macvlan0-host");
            assertThat(lab.hostState()).isEqualTo(before);
            assertThat(Cli.tool("teardown", "--lab", lab.name, "--recover").out()).contains("nothing to undo");
        }
    }

    /**
     * kill -9 between writing the first change (the shim) down and recording it as made: before it is made (the
     * kernel has no such link: "never made") and after (the kernel has exactly it: undone). Either way --recover decides by
     * asking the kernel, and the host is as it was; nothing is left for a person to check.
     */
    /** The shim setup makes when none is named. */
    private static final String SHIM = "macvlan0-host";

    @ParameterizedTest(name = "kill -9 at ''{0}''")
    @ValueSource(strings = {"change written down", "change made, not yet recorded"})
    void recoverAsksTheKernelAboutAChangeNeverRecorded(String step) throws Exception {
        try (HandBuilt t = HandBuilt.create(HandBuilt.Names.OTHER, true, false, false)) {
            String before = t.hostState();
            try (Running r = Running.start(Map.of("MVD_TRACE_PAUSE", step + "@60000"), t.target("setup"))) {
                r.awaitTrace(step);
                r.signal("KILL");
                r.awaitExit();
            }
            boolean made = step.startsWith("change made");
            assertThat(Cli.exec("ip", "-n", t.host, "link", "show", SHIM).ok()).as("the shim is there")
                    .isEqualTo(made);
            Cli.Result recover = Cli.tool(t.target("teardown", "--recover"));
            assertThat(recover.exit()).as(recover.toString()).isZero();
            assertThat(recover.out()).as(recover.out()).contains((made ? "undone: " : "never made: ") + "create "
                    + SHIM).doesNotContain("check by hand");
            assertThat(t.hostState()).isEqualTo(before);
        }
    }

    @Test
    void aKeptSetupIsNotAnInterruptedOne() {
        try (TestLab lab = TestLab.up()) {
            assertThat(Cli.tool("setup", "--lab", lab.name).exit()).isZero();
            Cli.Result recover = Cli.tool("teardown", "--lab", lab.name, "--recover");
            assertThat(recover.out()).contains("nothing to undo");
            assertThat(lab.routes()).contains("macvlan0-host");
            assertThat(Cli.tool("teardown", "--lab", lab.name).out()).contains("undone: create macvlan0-host");
        }
    }

    @Test
    void aSecondRunOnTheSameHostWaitsThenRefuses() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String ino = Cli.exec("stat", "-L", "-c", "%i", "/run/netns/" + lab.hostNs()).out().strip();
            Path dir = Path.of("/run/macvlan-doctor", "netns-" + ino);
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = ch.lock()) {
                String before = lab.hostState();
                try (Running r = Running.start(Map.of("MVD_LOCK_WAIT_MS", "500"), "setup", "--lab", lab.name)) {
                    assertThat(r.awaitExit()).isEqualTo(3);
                    assertThat(r.errors()).contains("another macvlan-doctor run is changing this namespace");
                    assertThat(r.errors().strip().lines()).hasSize(1);
                }
                assertThat(lab.hostState()).isEqualTo(before);
                assertThat(held.isValid()).isTrue();
            }
        }
    }

    /**
     * A healthy path whose container capture point goes away in the middle of the run (the run holds after the
     * neighbour flush, the interface or the whole namespace is removed, the probes go on): never a pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"interface", "namespace"})
    void theContainersCapturePointVanishesMidRun(String what) throws Exception {
        try (TestLab lab = TestLab.up("--fixed");
             Running r = Running.start(Map.of("MVD_TRACE_PAUSE", "neighbours flushed@1500"), "verify", "--lab",
                     lab.name, "--report-json", "-")) {
            r.awaitTrace("neighbours flushed");
            if (what.equals("interface")) {
                Cli.exec("ip", "-n", lab.ctrNs(), "link", "del", "eth0");
            } else {
                Cli.exec("ip", "netns", "del", lab.ctrNs());
            }
            assertThat(r.awaitExit()).as(r.errors()).isEqualTo(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> rep = (Map<String, Object>) io.macvlandoctor.json.Json.parse(r.stdout());
            assertThat(rep.get("verdict")).as(r.stdout()).isNotEqualTo("pass");
            assertThat(DiagnoseIT.causes(rep)).as(r.stdout()).contains("container-down");
        }
    }

    @Test
    void theParentGoesDownMidRunAndSetupIsStillUndone() throws Exception {
        try (TestLab lab = TestLab.up()) {
            Cli.inNs(lab.hostNs(), "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
            try (Running r = Running.start(Map.of(), "verify", "--lab", lab.name, "--setup", "--probe-timeout", "3s")) {
                r.await(() -> lab.routes().contains("macvlan0-host"), "the fix");
                Cli.exec("ip", "-n", lab.hostNs(), "link", "set", "ens33", "down");
                assertThat(r.awaitExit()).as(r.errors()).isEqualTo(1);
                assertThat(r.stdout()).contains("parent-down");
            }
            assertThat(Cli.exec("ip", "-n", lab.hostNs(), "link", "show", "macvlan0-host").exit())
                    .as("the shim it created is gone").isNotZero();
        }
    }

    /** A lab name bound to the machine's own namespace is refused before anything is done. */
    @Test
    void aLabNameBoundToTheRootNamespaceIsRefused() {
        String name = "evil" + ProcessHandle.current().pid();
        Path bound = Path.of("/run/netns/mvd-" + name + "-host");
        try {
            assertThat(Cli.exec("touch", bound.toString()).exit()).isZero();
            assertThat(Cli.exec("mount", "--bind", "/proc/self/ns/net", bound.toString()).exit()).isZero();
            Cli.Result r = Cli.tool("setup", "--lab", name);
            assertThat(r.exit()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("is the namespace macvlan-doctor runs in");
        } finally {
            Cli.exec("umount", bound.toString());
            Cli.exec("rm", "-f", bound.toString());
        }
    }
}
