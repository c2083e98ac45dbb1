package io.macvlandoctor.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.ToolException;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.export.PcapngWriter;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.probe.Packets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CaptureFilesTest {
    static final CapturePoint PARENT = CapturePoint.of(Role.PARENT, "ens33");
    static final CapturePoint CTR = CapturePoint.of(Role.CONTAINER, "eth0");
    static final long T0 = 1_764_300_000_123_456_789L;

    @TempDir
    Path dir;

    static List<Frame> sample() {
        byte[] arp = Packets.arpRequest(Mac.parse("02:42:c0:a8:88:f0"), IpAddress.parse("192.168.136.240"),
                IpAddress.parse("192.168.136.130"));
        byte[] echo = Packets.echoFrame(1, 2, IpAddress.parse("192.168.136.130"), IpAddress.parse("192.168.136.240"),
                true, 9, 1, new byte[56]);
        return List.of(FrameDecoder.decode(CTR, Direction.OUT, T0, arp, 60),
                FrameDecoder.decode(PARENT, Direction.IN, T0 + 1, echo, echo.length),
                FrameDecoder.decode(CTR, Direction.IN, T0 + 2, echo, echo.length));
    }

    List<Frame> readAll(Path f, Role p, Direction d) {
        List<Frame> out = new ArrayList<>();
        try (CaptureFileReader r = CaptureFileReader.open(f, p, d)) {
            for (Frame x; (x = r.next()) != null; ) {
                out.add(x);
            }
        }
        return out;
    }

    @Test
    void pcapngRoundTripKeepsPointsDirectionsAndNanoseconds() throws IOException {
        List<Frame> in = sample();
        Map<Frame, List<String>> comments = new IdentityHashMap<>();
        comments.put(in.get(1), List.of("evidence"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PcapngWriter.write(bytes, "test", List.of(), List.of(PARENT, CTR, CapturePoint.of(Role.WIRE, "gw0")), in,
                comments);
        Path f = dir.resolve("x.pcapng");
        Files.write(f, bytes.toByteArray());
        List<Frame> out = readAll(f, null, Direction.UNKNOWN);
        assertThat(out).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(out.get(i).point()).isEqualTo(in.get(i).point());
            assertThat(out.get(i).direction()).isEqualTo(in.get(i).direction());
            assertThat(out.get(i).timeNs()).isEqualTo(in.get(i).timeNs());
            assertThat(out.get(i).data()).isEqualTo(in.get(i).data());
            assertThat(out.get(i).originalLength()).isEqualTo(in.get(i).originalLength());
        }
        try (CaptureFileReader r = CaptureFileReader.open(f, null, Direction.UNKNOWN)) {
            while (r.next() != null) {
                // read everything: points are known once the file is read
            }
            assertThat(r.points()).extracting(CapturePoint::name).containsExactly("host:ens33", "container:eth0",
                    "lan:gw0");
        }
    }

    /** Larger than the reader's buffer, so that blocks straddle its end and get moved. */
    @Test
    void largeFilesReadEveryFrame() throws IOException {
        List<Frame> many = new ArrayList<>();
        List<Frame> base = sample();
        for (int i = 0; i < 120_000; i++) {
            Frame f = base.get(i % 3);
            many.add(new Frame(f.point(), f.direction(), T0 + i, f.srcMac(), f.dstMac(), f.kind(), f.srcIp(),
                    f.dstIp(), f.icmpId(), f.icmpSeq(), f.token(), f.senderMac(), f.targetMac(), f.data(),
                    f.originalLength()));
        }
        Path ng = dir.resolve("large.pcapng");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(ng))) {
            PcapngWriter.write(out, "test", List.of(), List.of(PARENT, CTR), many, Map.of());
        }
        assertThat(Files.size(ng)).isGreaterThan(8L << 20);
        List<Frame> back = readAll(ng, null, Direction.UNKNOWN);
        assertThat(back).hasSize(many.size());
        assertThat(back.get(back.size() - 1).timeNs()).isEqualTo(T0 + many.size() - 1);
        assertThat(back).allMatch(f -> f.data().length > 0);
        Path pc = dir.resolve("large.pcap");
        Files.write(pc, pcap(true, ByteOrder.LITTLE_ENDIAN, many.stream().limit(100_000).map(Frame::data).toList(), T0));
        assertThat(readAll(pc, Role.PARENT, Direction.UNKNOWN)).hasSize(100_000);
    }

    /** A classic pcap, as tcpdump -w writes it: microseconds or nanoseconds, either byte order. */
    public static byte[] pcap(boolean nanos, ByteOrder order, List<byte[]> packets, long t0Ns) {
        ByteBuffer b = ByteBuffer.allocate(64 + packets.stream().mapToInt(p -> 16 + p.length).sum()).order(order);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262144).putInt(1);
        long t = t0Ns;
        for (byte[] p : packets) {
            b.putInt((int) (t / 1_000_000_000L)).putInt((int) (nanos ? t % 1_000_000_000L : t % 1_000_000_000L / 1000))
                    .putInt(p.length).putInt(p.length).put(p);
            t += 1_500;
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    @Test
    void classicPcapInEveryFlavour() throws IOException {
        List<byte[]> packets = sample().stream().map(Frame::data).toList();
        for (boolean nanos : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                Path f = dir.resolve("t-" + nanos + order + ".pcap");
                Files.write(f, pcap(nanos, order, packets, T0));
                List<Frame> out = readAll(f, Role.PARENT, Direction.UNKNOWN);
                assertThat(out).hasSize(3);
                assertThat(out).allMatch(x -> x.point().role() == Role.PARENT && x.direction() == Direction.UNKNOWN);
                long expected = nanos ? T0 : T0 / 1000 * 1000;
                assertThat(out.get(0).timeNs()).as(nanos + " " + order).isEqualTo(expected);
                assertThat(out.get(1).timeNs() - out.get(0).timeNs()).isBetween(1_000L, 2_000L);
                assertThat(out.get(0).data()).isEqualTo(packets.get(0));
            }
        }
    }

    @Test
    void truncatedAndCorruptFilesNameTheOffset() throws IOException {
        byte[] good = pcap(false, ByteOrder.LITTLE_ENDIAN, sample().stream().map(Frame::data).toList(), T0);
        Path f = dir.resolve("cut.pcap");
        // Cut short, as tcpdump killed mid-write leaves it: every complete record is read, and where it stopped said.
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 5));
        try (CaptureFileReader r = CaptureFileReader.open(f, Role.PARENT, Direction.UNKNOWN)) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(sample().size() - 1);
            assertThat(r.truncation()).contains("cut.pcap").contains("cut short at byte offset")
                    .contains("inside a record");
        }
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> readAll(f, Role.PARENT, Direction.UNKNOWN)).hasMessageContaining("not a pcap or pcapng");
        Files.write(f, new byte[0]);
        assertThatThrownBy(() -> readAll(f, Role.PARENT, Direction.UNKNOWN)).hasMessageContaining("empty");
        assertThatThrownBy(() -> readAll(dir.resolve("none.pcap"), Role.PARENT, Direction.UNKNOWN))
                .isInstanceOf(UsageException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> readAll(dir, Role.PARENT, Direction.UNKNOWN)).hasMessageContaining("is a directory");
    }

    @Test
    void ourExportWithoutRolesIsRefusedWhenItsInterfacesDoNotSay() throws IOException {
        // A pcapng whose interface has no description: the user must give the role.
        byte[] good = pcap(false, ByteOrder.LITTLE_ENDIAN, List.of(sample().get(0).data()), T0);
        Path f = dir.resolve("plain.pcap");
        Files.write(f, good);
        assertThatThrownBy(() -> readAll(f, null, Direction.UNKNOWN)).hasMessageContaining("give a role");
    }

    /** An option's length is 16 bits: a longer comment is cut with a note, and the file still reads. */
    @Test
    void noOptionIsLongerThanTheFormatAllows() throws IOException {
        String huge = "x".repeat(70_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<Frame, List<String>> comments = new IdentityHashMap<>();
        comments.put(sample().get(0), List.of(huge));
        PcapngWriter.write(bytes, "test", List.of(huge), List.of(PARENT, CTR), sample(), comments);
        Path f = dir.resolve("long.pcapng");
        Files.write(f, bytes.toByteArray());
        try (CaptureFileReader r = CaptureFileReader.open(f, null, Direction.UNKNOWN)) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(3);
            String c = r.sectionComments().get(0).text();
            assertThat(c).endsWith("[cut: longer than a pcapng option]");
            assertThat(c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(0xffff);
        }
    }

    /** Seeded mutations of valid files: nothing but our typed errors may escape, and reading always ends. */
    @Test
    void mutatedFilesOnlyEverRaiseTypedErrors() throws IOException {
        ByteArrayOutputStream ng = new ByteArrayOutputStream();
        PcapngWriter.write(ng, "fuzz", List.of(), List.of(PARENT, CTR), sample(), Map.of());
        List<byte[]> seeds = List.of(ng.toByteArray(),
                pcap(true, ByteOrder.BIG_ENDIAN, sample().stream().map(Frame::data).toList(), T0));
        Random rnd = new Random(7);
        Path f = dir.resolve("fuzz.bin");
        int typed = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = seeds.get(i % 2).clone();
            int flips = 1 + rnd.nextInt(8);
            for (int k = 0; k < flips; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(4) == 0) {
                b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            Files.write(f, b);
            try {
                readAll(f, i % 3 == 0 ? null : Role.PARENT, Direction.UNKNOWN);
            } catch (ToolException e) {
                typed++;
            }
        }
        assertThat(typed).as("some mutations must have been caught").isPositive();
    }
}
