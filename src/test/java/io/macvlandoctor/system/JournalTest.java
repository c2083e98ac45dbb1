package io.macvlandoctor.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.change.DirCreate;
import io.macvlandoctor.model.change.FileWrite;
import io.macvlandoctor.model.change.FirewallAccept;
import io.macvlandoctor.model.change.LinkAdd;
import io.macvlandoctor.model.change.LinkState;
import io.macvlandoctor.model.change.RouteAdd;
import io.macvlandoctor.model.change.SymlinkCreate;
import io.macvlandoctor.model.change.SysctlSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    static final Netns NS = Netns.named("mvd-t-host");
    static final LinkAdd CREATE = LinkAdd.of(NS, "shim0", "ens33", MacvlanMode.BRIDGE, 6);
    static final LinkState UP = new LinkState(NS, "shim0", true);
    static final RouteAdd ROUTE = RouteAdd.of(NS, Cidr.parse("10.0.0.5/32"), "shim0");

    @TempDir
    Path root;

    /** A kernel with one link shim0 whose ifindex the test controls (0: absent). */
    static FakeRunner kernel(AtomicInteger shimIndex, String failOn) {
        return new FakeRunner(argv -> {
            String cmd = String.join(" ", argv);
            if (failOn != null && cmd.contains(failOn)) {
                return FakeRunner.fail(argv, "RTNETLINK answers: File exists");
            }
            if (cmd.endsWith("-j -d addr show")) {
                return FakeRunner.ok(argv, shimIndex.get() == 0 ? "[]"
                        : "[{\"ifindex\":" + shimIndex.get() + ",\"ifname\":\"shim0\",\"flags\":[\"UP\"],\"addr_info\":[]}]");
            }
            if (cmd.contains("route show")) {
                return FakeRunner.ok(argv, "[]");
            }
            return FakeRunner.ok(argv, "");
        });
    }

    /** The namespace's identity as the test sets it (null: gone), and the sysctls written. */
    static final class Fx extends SystemHost implements Journal.Effects {
        final FakeRunner runner;
        String identity = "4:4026532000";
        final java.util.Map<String, Integer> sysctls = new java.util.LinkedHashMap<>();

        Fx(FakeRunner runner) {
            super(runner);
            this.runner = runner;
        }

        @Override
        public Result exec(Netns ns, List<String> argv) {
            ProcessRunner.Result r = runner.run(argv);
            return new Result(r.ok(), r.stdout(), r.stderr());
        }

        @Override
        public void writeSysctl(Netns ns, String name, int value) {
            sysctls.put(name, value);
        }

        @Override
        public Integer readSysctl(Netns ns, String name) {
            return sysctls.get(name);
        }

        @Override
        public String identity(Netns ns) {
            return identity;
        }

        @Override
        public Netns find(Netns likely, String id) {
            return id.equals(identity) ? likely : null;
        }
    }

    private Journal open(FakeRunner r) {
        return Journal.open(root, 4026532000L, new Fx(r));
    }

    @Test
    void undoesInReverseOrderAndForgetsWhatIsDone() throws Exception {
        AtomicInteger idx = new AtomicInteger(7);
        FakeRunner r = kernel(idx, null);
        try (Journal j = open(r)) {
            j.applyAll(List.of(CREATE, UP, ROUTE), c -> { });
            Path file = root.resolve("netns-4026532000/journal.json");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains("\"state\": \"APPLIED\"").contains("\"index\": 7");
            r.commands.clear();
            List<String> report = j.undoOwnRun();
            assertThat(r.changes()).containsExactly("ip -n mvd-t-host route del 10.0.0.5 dev shim0",
                    "ip -n mvd-t-host link set shim0 down", "ip -n mvd-t-host link del shim0");
            assertThat(report).hasSize(3).allMatch(l -> l.startsWith("undone: "));
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void aFailedChangeRollsBackTheRunAndIsNotUndone() {
        AtomicInteger idx = new AtomicInteger(7);
        FakeRunner r = kernel(idx, "route add");
        try (Journal j = open(r)) {
            assertThatThrownBy(() -> j.applyAll(List.of(CREATE, UP, ROUTE), c -> { }))
                    .isInstanceOf(EnvironmentException.class).hasMessageContaining("File exists");
            assertThat(r.changes()).endsWith("ip -n mvd-t-host link set shim0 down", "ip -n mvd-t-host link del shim0");
            assertThat(r.changes()).noneMatch(c -> c.contains("route del"));
            assertThat(j.entries()).extracting(Journal.Entry::state)
                    .containsExactly(Journal.State.UNDONE, Journal.State.UNDONE, Journal.State.FAILED);
            assertThat(root.resolve("netns-4026532000/journal.json")).as("nothing left to undo").doesNotExist();
        }
    }

    @Test
    void neverDeletesALinkThatIsNotTheOneItCreated() {
        AtomicInteger idx = new AtomicInteger(7);
        FakeRunner r = kernel(idx, null);
        try (Journal j = open(r)) {
            j.apply(CREATE);
        }
        idx.set(9); // someone deleted our shim0 and created another one with the same name
        try (Journal j = open(r)) {
            assertThat(j.pendingFromOtherRuns()).hasSize(1);
            r.commands.clear();
            List<String> report = j.undoAll();
            assertThat(r.changes()).isEmpty();
            assertThat(report).singleElement().asString().startsWith("left alone: shim0");
        }
    }

    @Test
    void aLinkAlreadyGoneIsReportedNotFailed() {
        AtomicInteger idx = new AtomicInteger(7);
        FakeRunner r = kernel(idx, null);
        try (Journal j = open(r)) {
            j.apply(CREATE);
            idx.set(0);
            assertThat(j.undoOwnRun()).containsExactly("already gone: shim0");
        }
    }

    @Test
    void survivesTheProcessAndIsUndoneByTheNextOne() {
        AtomicInteger idx = new AtomicInteger(7);
        FakeRunner r = kernel(idx, null);
        String firstRun;
        try (Journal j = open(r)) {
            j.applyAll(List.of(CREATE, ROUTE), c -> { });
            firstRun = j.runId();
        }
        try (Journal j = open(r)) {
            assertThat(j.runId()).isNotEqualTo(firstRun);
            assertThat(j.pendingFromOtherRuns()).extracting(e -> e.change().summary())
                    .containsExactly("create shim0 (macvlan bridge on ens33)", "route 10.0.0.5 through shim0");
            assertThat(j.undoOwnRun()).isEmpty();
            assertThat(j.undoAll()).hasSize(2);
        }
    }

    /** kill -9 leaves the journal as it was: entries of a run that never ended. */
    @Test
    void aKilledRunIsToldApartFromAKeptOne() throws Exception {
        AtomicInteger idx = new AtomicInteger(7);
        FakeRunner r = kernel(idx, null);
        try (Journal j = open(r)) {
            j.apply(ROUTE); // a kept setup: its run ends normally
        }
        Path file = root.resolve("netns-4026532000/journal.json");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> doc = (java.util.Map<String, Object>) io.macvlandoctor.json.Json.parse(
                Files.readString(file));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) doc.get("entries");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> keptEntry = (java.util.Map<String, Object>) list.get(0);
        assertThat(keptEntry.get("runEnded")).isEqualTo(true);
        // What a run killed in the middle leaves: its entry, never marked as ended.
        java.util.Map<String, Object> killed = new java.util.LinkedHashMap<>(keptEntry);
        killed.put("run", "deadbeef");
        killed.put("runEnded", false);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> change = new java.util.LinkedHashMap<>(
                (java.util.Map<String, Object>) keptEntry.get("change"));
        change.put("dst", "10.0.0.6/32");
        killed.put("change", change);
        List<Object> both = new java.util.ArrayList<>(list);
        both.add(killed);
        Files.writeString(file, io.macvlandoctor.json.Json.pretty(java.util.Map.of("journalVersion", 2, "entries",
                both)));
        List<String> warnings = new java.util.ArrayList<>();
        try (Journal j = Journal.open(root, 4026532000L, new Fx(r))) {
            assertThat(j.interrupted()).hasSize(1);
            assertThat(j.pendingFromOtherRuns()).hasSize(2);
            r.commands.clear();
            assertThat(j.undoInterrupted()).hasSize(1);
            assertThat(r.changes()).containsExactly("ip -n mvd-t-host route del 10.0.0.6 dev shim0");
        }
        try (Journal j = Journal.open(root, 4026532000L, new Fx(r))) {
            assertThat(j.interrupted()).isEmpty();
            assertThat(j.pendingFromOtherRuns()).hasSize(1);
            warnings.add("checked");
        }
        assertThat(warnings).hasSize(1);
    }

    /**
     * A killed run's entry still in the intent state: the kernel says whether the change is there. Absent: never
     * made, nothing run. There as only this change makes it (protocol boot): undone. There, but otherwise: reported
     * with its undo, never guessed.
     */
    @Test
    void anEntryLeftInTheIntentStateIsDecidedByTheKernel() throws Exception {
        String[] routes = {"[]"};
        FakeRunner r = new FakeRunner(argv -> FakeRunner.ok(argv, String.join(" ", argv).contains("-4 route show")
                ? routes[0] : String.join(" ", argv).contains("route show") ? "[]" : ""));
        for (String[] kernel : new String[][] {{"[]", "never made: route 10.0.0.5 through shim0", ""},
            {"[{\"dst\":\"10.0.0.5\",\"dev\":\"shim0\",\"scope\":\"link\"}]", "undone: route 10.0.0.5 through "
                    + "shim0", "ip -n mvd-t-host route del 10.0.0.5 dev shim0"},
            {"[{\"dst\":\"10.0.0.5\",\"dev\":\"shim0\",\"protocol\":\"static\",\"scope\":\"link\"}]",
                "not undone: 'route 10.0.0.5 through shim0'", ""}}) {
            routes[0] = "[]";
            try (Journal j = open(r)) {
                j.apply(ROUTE);
            }
            Path file = root.resolve("netns-4026532000/journal.json");
            Files.writeString(file, Files.readString(file).replace("\"APPLIED\"", "\"INTENT\"")
                    .replace("\"runEnded\": true", "\"runEnded\": false"));
            routes[0] = kernel[0];
            try (Journal j = open(r)) {
                r.commands.clear();
                List<String> report = j.undoInterrupted();
                assertThat(report).as(kernel[0]).singleElement().asString().startsWith(kernel[1]);
                assertThat(r.changes()).as(kernel[0]).isEqualTo(kernel[2].isEmpty() ? List.of() : List.of(kernel[2]));
                if (kernel[1].startsWith("not undone")) {
                    assertThat(report.get(0)).contains("route del 10.0.0.5 dev shim0");
                    j.undo(e -> true);
                }
            }
            Files.deleteIfExists(file);
        }
    }

    /** The namespace is held by identity: a path that names another namespace by now is never acted on. */
    @Test
    void aNamespaceThatIsNotTheSameAnyMoreIsLeftAlone() {
        FakeRunner r = kernel(new AtomicInteger(7), null);
        Fx fx = new Fx(r);
        try (Journal j = Journal.open(root, 4026532000L, fx)) {
            j.applyAll(List.of(CREATE, ROUTE), c -> { });
        }
        fx.identity = "4:4026539999";
        try (Journal j = Journal.open(root, 4026532000L, fx)) {
            r.commands.clear();
            List<String> report = j.undoAll();
            assertThat(r.changes()).isEmpty();
            assertThat(report).hasSize(2).allMatch(l -> l.startsWith("left alone: ") && l.contains("is gone"));
        }
    }

    /** Same name and ifindex, another MAC: not the link we created. */
    @Test
    void aLinkWithAnotherMacIsNotOurs() {
        AtomicInteger idx = new AtomicInteger(7);
        String[] mac = {"aa:aa:aa:aa:aa:01"};
        FakeRunner r = new FakeRunner(argv -> {
            String cmd = String.join(" ", argv);
            if (cmd.endsWith("-j -d addr show")) {
                return FakeRunner.ok(argv, "[{\"ifindex\":" + idx.get() + ",\"ifname\":\"shim0\",\"address\":\"" + mac[0]
                        + "\",\"flags\":[\"UP\"],\"addr_info\":[]}]");
            }
            return FakeRunner.ok(argv, cmd.contains("route show") ? "[]" : "");
        });
        try (Journal j = open(r)) {
            j.apply(CREATE);
        }
        mac[0] = "aa:aa:aa:aa:aa:02";
        try (Journal j = open(r)) {
            r.commands.clear();
            assertThat(j.undoAll()).singleElement().asString().startsWith("left alone: shim0")
                    .contains("aa:aa:aa:aa:aa:01");
            assertThat(r.changes()).isEmpty();
        }
    }

    @Test
    void aSysctlIsSetBackToTheValueItHad() {
        FakeRunner r = kernel(new AtomicInteger(7), null);
        Fx fx = new Fx(r);
        try (Journal j = Journal.open(root, 4026532000L, fx)) {
            j.apply(new SysctlSet(NS, "net.ipv6.conf.shim0.forwarding", 1, 0));
            assertThat(fx.sysctls).containsEntry("net.ipv6.conf.shim0.forwarding", 1);
            assertThat(j.undoOwnRun()).singleElement().asString().startsWith("undone: set net.ipv6.conf.shim0.forwarding=1");
            assertThat(fx.sysctls).containsEntry("net.ipv6.conf.shim0.forwarding", 0);
        }
    }

    /** An nft rule goes by the handle its insert printed. */
    @Test
    void anInsertedRuleIsRemovedByTheHandleItGot() {
        FakeRunner r = new FakeRunner(argv -> FakeRunner.ok(argv, String.join(" ", argv).contains("--echo")
                ? "insert rule inet filter input position 3 iifname \"s\" accept # handle 17\n" : ""));
        try (Journal j = open(r)) {
            j.apply(FirewallAccept.of(NS, "nft", "inet filter", "input", 3, List.of("iifname", "s", "accept")));
            assertThat(r.commands).contains("nft --echo --handle insert rule inet filter input position 3 iifname s "
                    + "accept");
            r.commands.clear();
            j.undoOwnRun();
            assertThat(r.commands).containsExactly("nft delete rule inet filter input handle 17");
        }
    }

    @Test
    void aSecondRunOnTheSameNamespaceWaitsForTheLock() throws Exception {
        FakeRunner r = kernel(new AtomicInteger(7), null);
        CountDownLatch got = new CountDownLatch(1);
        Thread other;
        try (Journal j = open(r)) {
            other = new Thread(() -> {
                try (Journal k = open(r)) {
                    got.countDown();
                }
            });
            other.start();
            assertThat(got.await(300, TimeUnit.MILLISECONDS))
                    .as("the second run must wait while the first holds the lock").isFalse();
        }
        assertThat(got.await(5, TimeUnit.SECONDS)).as("and get it once released").isTrue();
        other.join();
    }

    /** Files of the boot-time configuration: written, then removed, a replaced file put back, an edited one left. */
    @Test
    void filesAreWrittenAndUndoneAndAnEditedOneIsLeftAlone() throws Exception {
        Path etc = root.resolve("persist/etc");
        Files.createDirectories(etc);
        Path replaced = etc.resolve("interfaces");
        Files.writeString(replaced, "theirs\n");
        Path dir = etc.resolve("network");
        Path fresh = dir.resolve("mv");
        Path edited = etc.resolve("edited");
        Path link = etc.resolve("wants");
        try (Journal j = open(new FakeRunner(argv -> { throw new AssertionError("no program runs for files: " + argv); }))) {
            j.applyAll(List.of(new FileWrite(replaced.toString(), "ours\n", 0644, "theirs\n", 0600),
                    new DirCreate(dir.toString()), new FileWrite(fresh.toString(), "new\n", 0600, null, 0),
                    new FileWrite(edited.toString(), "mine\n", 0644, null, 0),
                    new SymlinkCreate(link.toString(), "/etc/network/mv")), c -> { });
            assertThat(Files.readString(replaced)).isEqualTo("ours\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
            assertThat(Files.readSymbolicLink(link)).hasToString("/etc/network/mv");
            Files.writeString(edited, "changed by hand\n");
            List<String> undone = j.undoOwnRun();
            assertThat(undone).anyMatch(l -> l.startsWith("left alone: " + edited));
        }
        assertThat(Files.readString(replaced)).isEqualTo("theirs\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(replaced))).isEqualTo("rw-------");
        assertThat(fresh).doesNotExist();
        assertThat(dir).doesNotExist();
        assertThat(link).doesNotExist();
        assertThat(Files.readString(edited)).isEqualTo("changed by hand\n");
    }

    @Test
    void runIdsAreEightHexDigitsAndTellRunsApart() {
        FakeRunner r = kernel(new AtomicInteger(7), null);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (Journal j = open(r)) {
                assertThat(j.runId()).matches("[0-9a-f]{8}");
                ids.add(j.runId());
            }
        }
        assertThat(ids).hasSize(20);
    }
}
