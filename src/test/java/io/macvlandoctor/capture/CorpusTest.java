package io.macvlandoctor.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.macvlandoctor.ToolException;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures written by other tools (../shared/corpus: tcpdump's and libpcap's test captures, pcapng-test-generator's
 * reader tests; read from there, never copied), and their truncated and corrupted copies: every file is read or
 * refused for a stated reason (one line, the file and the byte offset), none hangs or escapes with another
 * exception; what an Ethernet file holds of ARP, ICMP and ICMPv6 is what tcpdump's filter counts, and the first
 * of them is stamped to the nanosecond as tcpdump stamps it (microsecond, nanosecond and other pcapng
 * resolutions). Runs whenever the corpus is there; in CI its absence is a failure, not a skip.
 */
class CorpusTest {
    static final Path CORPUS = Path.of("..", "shared", "corpus");
    static final String FILTER = "arp or icmp or ip6 protochain 58";

    @TempDir
    Path tmp;

    @BeforeAll
    static void corpusIsThere() {
        if (!Files.isDirectory(CORPUS)) {
            if (System.getenv("CI") != null || Boolean.getBoolean("mvd.requireRoot")) {
                throw new AssertionError("the capture corpus is missing at " + CORPUS.toAbsolutePath());
            }
            Assumptions.assumeTrue(false, "no capture corpus at " + CORPUS);
        }
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(CORPUS)) {
            return s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList();
        }
    }

    /** What reading a file gave: frames read, those kept, and why it stopped (null: the end) or was refused. */
    record Outcome(long read, long kept, long firstNs, String truncation, String refused) {
    }

    static Outcome read(Path f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            long kept = 0;
            long first = -1;
            try (CaptureFileReader r = CaptureFileReader.open(f, Role.PARENT, Direction.UNKNOWN, true)) {
                for (Frame x; (x = r.next()) != null; ) {
                    if (first < 0) {
                        first = x.timeNs();
                    }
                    kept++;
                }
                return new Outcome(r.framesRead(), kept, first, r.truncation(), null);
            } catch (ToolException e) {
                return new Outcome(0, 0, -1, null, e.getMessage());
            }
        }, () -> f + " must not hang");
    }

    /** tcpdump's count of the frames a filter matches, or -1 when tcpdump refuses the file. */
    static long tcpdump(Path f, String filter) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tcpdump", "-r", f.toString(), "--count", filter).redirectErrorStream(false)
                .start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 && out.endsWith(" packets") ? Long.parseLong(out.split(" ")[0]) : -1;
    }

    /** Untagged, behind one tag and behind two (tcpdump's vlan keyword shifts the offsets for what follows). */
    static final String TAGGED = FILTER + " or (vlan and (" + FILTER + " or (vlan and (" + FILTER + "))))";

    static long tcpdumpCount(Path f) throws IOException, InterruptedException {
        return tcpdump(f, TAGGED);
    }

    /** The time tcpdump prints, in nanoseconds, of the first frame the filter matches; -1 when there is none. */
    static long tcpdumpFirstNs(Path f) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tcpdump", "-r", f.toString(), "-tt", "--nano", "-n", "-c", "1", TAGGED)
                .start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        if (line.isEmpty()) {
            return -1;
        }
        String[] ts = line.split(" ")[0].split("\\.");
        return Long.parseLong(ts[0]) * 1_000_000_000L + Long.parseLong(ts[1]);
    }

    static void refusedForAReason(Path f, Outcome o) {
        assertThat(o.refused()).as(f.toString()).contains(f.toString());
        assertThat(o.refused().lines().count()).as("one line: " + o.refused()).isEqualTo(1);
        assertThat(o.refused()).as("says why and where").matches(".*(byte offset [0-9]+|no such file|directory|"
                + "permission|give a role).*");
    }

    @Test
    void everyFileIsReadOrRefusedAndTheCountsAreTcpdumps() throws Exception {
        List<Path> all = files();
        assertThat(all).as("the corpus").hasSizeGreaterThan(800);
        List<String> disagree = new ArrayList<>();
        int compared = 0;
        for (Path f : all) {
            Outcome o = read(f);
            if (o.refused() != null) {
                refusedForAReason(f, o);
                continue;
            }
            assertThat(o.truncation()).as(f + ": the corpus files are whole").isNull();
            long t = tcpdumpCount(f);
            if (t < 0) {
                // tcpdump refuses a few valid pcapng shapes (no interface block); ours reads them: nothing to count.
                continue;
            }
            compared++;
            if (t != o.kept()) {
                disagree.add(f + ": tcpdump " + t + ", ours " + o.kept());
            } else if (t > 0 && tcpdumpFirstNs(f) != o.firstNs()) {
                disagree.add(f + ": the first frame at " + tcpdumpFirstNs(f) + " ns by tcpdump, " + o.firstNs()
                        + " by ours");
            }
        }
        assertThat(disagree).isEmpty();
        assertThat(compared).as("Ethernet files counted by both").isGreaterThan(400);
    }

    /** libpcap refuses these; so do we, with the reason. */
    @Test
    void theVersionsLibpcapRefusesAreRefusedToo() {
        for (String name : List.of("pcap-invalid-version-1.pcap", "pcap-invalid-version-2.pcap",
                "pcapng-invalid-vers-1.pcapng", "pcapng-invalid-vers-2.pcapng")) {
            Path f = CORPUS.resolve("libpcap").resolve(name);
            Outcome o = read(f);
            assertThat(o.refused()).as(name).containsAnyOf("archaic pcap format", "unsupported pcap format version",
                    "unsupported pcapng version");
            refusedForAReason(f, o);
        }
    }

    /** An 802.1ad outer tag, an 802.1Q inner one: the ARP behind both is found. */
    @Test
    void qinqTaggedArpIsLookedThrough() {
        Outcome o = read(CORPUS.resolve("tcpdump/802.1ad_QinQ.pcap"));
        assertThat(o.kept()).isEqualTo(2);
    }

    /**
     * Every readable file cut short at three places, and with bytes flipped at random (seeded): read up to the last
     * complete frame (as many as tcpdump reads before it says "truncated dump file"), or refused in one line with
     * the offset; nothing else, ever.
     */
    @Test
    void truncatedAndCorruptedCopiesAreReadAsFarAsTheyGo() throws Exception {
        Random rnd = new Random(23);
        int runs = 0;
        int checkedAgainstTcpdump = 0;
        for (Path f : files()) {
            Outcome whole = read(f);
            if (whole.refused() != null) {
                continue;
            }
            byte[] b = Files.readAllBytes(f);
            for (int cut : new int[] {b.length - 1, b.length * 2 / 3, Math.min(b.length - 1, 30)}) {
                if (cut <= 0) {
                    continue;
                }
                Path c = tmp.resolve("cut-" + runs + "-" + f.getFileName());
                Files.write(c, java.util.Arrays.copyOf(b, cut));
                Outcome o = read(c);
                runs++;
                if (o.refused() != null) {
                    refusedForAReason(c, o);
                    continue;
                }
                assertThat(o.read()).as(c.toString()).isLessThanOrEqualTo(whole.read());
                if (o.truncation() != null) {
                    assertThat(o.truncation()).contains("byte offset").contains(c.getFileName().toString());
                    if (checkedAgainstTcpdump < 60 && f.toString().endsWith(".pcap") && whole.read() > 1) {
                        assertThat(o.read()).as(c + ": as many as tcpdump reads").isEqualTo(tcpdumpRecords(c));
                        checkedAgainstTcpdump++;
                    }
                }
            }
            byte[] bad = b.clone();
            for (int i = 0; i < Math.max(1, bad.length / 64); i++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            Path c = tmp.resolve("bad-" + runs + "-" + f.getFileName());
            Files.write(c, bad);
            Outcome o = read(c);
            runs++;
            if (o.refused() != null) {
                refusedForAReason(c, o);
            }
            Files.deleteIfExists(c);
        }
        assertThat(runs).isGreaterThan(2000);
        assertThat(checkedAgainstTcpdump).isGreaterThan(30);
    }

    /** How many records tcpdump prints from a file before it ends or says it is truncated. */
    static long tcpdumpRecords(Path f) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tcpdump", "-r", f.toString(), "-n", "-q").start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        long n = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.matches("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\..*")).count();
        p.waitFor(20, TimeUnit.SECONDS);
        return n;
    }
}
