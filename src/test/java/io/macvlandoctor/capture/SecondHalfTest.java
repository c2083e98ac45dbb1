package io.macvlandoctor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.probe.Packets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big classic pcap is read on two cores (SecondHalf): what it gives must be what one pass gives, frame for
 * frame and count for count, whatever the file (a stream, read in one pass, is the reference).
 */
class SecondHalfTest {
    @TempDir
    Path dir;

    /** Unrelated UDP frames of lengths that vary, with ARP and echo frames among them, in both halves. */
    static byte[] bigCapture(long seed) {
        return bigCapture(seed, false);
    }

    /** @param fakeHeaders frames whose bytes hold runs of what looks like record headers */
    static byte[] bigCapture(long seed, boolean fakeHeaders) {
        Random rnd = new Random(seed);
        byte[] arp = Packets.arpRequest(Mac.parse("02:42:c0:a8:88:f0"), IpAddress.parse("192.168.136.240"),
                IpAddress.parse("192.168.136.130"));
        byte[] echo = Packets.echoFrame(1, 2, IpAddress.parse("192.168.136.130"), IpAddress.parse("192.168.136.240"),
                true, 9, 1, new byte[56]);
        List<byte[]> packets = new ArrayList<>();
        long bytes = 0;
        while (bytes < SecondHalf.MIN_FILE_BYTES + (8 << 20)) {
            byte[] p;
            int r = rnd.nextInt(3000);
            if (r == 0) {
                p = arp;
            } else if (r == 1) {
                p = echo;
            } else {
                p = new byte[fakeHeaders ? 1400 : 60 + rnd.nextInt(1400)];
                rnd.nextBytes(p);
                p[12] = 0x08;
                p[13] = 0x00;
                p[14] = 0x45;
                p[23] = 17;
                for (int q = 64; fakeHeaders && q + 32 <= p.length; q += 32) {
                    CaptureFilesTestBytes.putLe(p, q, 1_764_300_000);
                    CaptureFilesTestBytes.putLe(p, q + 4, 0);
                    CaptureFilesTestBytes.putLe(p, q + 8, 16);
                    CaptureFilesTestBytes.putLe(p, q + 12, 16);
                }
            }
            packets.add(p);
            bytes += 16 + p.length;
        }
        return CaptureFilesTest.pcap(true, ByteOrder.LITTLE_ENDIAN, packets, 1_764_300_000_000_000_000L);
    }

    record Read(List<Frame> frames, long count, String truncation) {
    }

    static Read read(CaptureFileReader r) {
        List<Frame> out = new ArrayList<>();
        try (r) {
            for (Frame f; (f = r.next()) != null; ) {
                out.add(f);
            }
            return new Read(out, r.framesRead(), r.truncation() == null ? null
                    : r.truncation().substring(r.truncation().indexOf(": ")));
        }
    }

    private void assertSameAsOnePass(byte[] file) throws IOException {
        Path f = dir.resolve("big.pcap");
        Files.write(f, file);
        Read two = read(CaptureFileReader.open(f, Role.CONTAINER, Direction.UNKNOWN, true));
        Read one = read(CaptureFileReader.open(new ByteArrayInputStream(file), "big.pcap", Role.CONTAINER,
                Direction.UNKNOWN, true));
        assertThat(two.count()).isEqualTo(one.count());
        assertThat(two.truncation()).isEqualTo(one.truncation());
        assertThat(two.frames()).hasSameSizeAs(one.frames()).hasSizeGreaterThan(20);
        for (int i = 0; i < one.frames().size(); i++) {
            assertThat(two.frames().get(i).timeNs()).isEqualTo(one.frames().get(i).timeNs());
            assertThat(two.frames().get(i).data()).isEqualTo(one.frames().get(i).data());
        }
    }

    @Test
    void aBigFileGivesWhatOnePassGives() throws IOException {
        assertSameAsOnePass(bigCapture(1));
    }

    @Test
    void aBigFileCutShortInItsSecondHalfSaysWhereAsOnePassDoes() throws IOException {
        byte[] whole = bigCapture(2);
        assertSameAsOnePass(Arrays.copyOf(whole, whole.length - 700));
    }

    /** The frames' bytes hold what looks like record headers: the guess may be wrong, never the result. */
    @Test
    void headersHiddenInFramesDoNotMisleadIt() throws IOException {
        assertSameAsOnePass(bigCapture(3, true));
    }
}
