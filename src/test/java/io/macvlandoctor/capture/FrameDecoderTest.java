package io.macvlandoctor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.probe.Packets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    static final CapturePoint P = CapturePoint.of(Role.CONTAINER, "eth0");
    static final long CTR_MAC = Mac.parse("02:42:c0:a8:88:f0");
    static final long SHIM_MAC = Mac.parse("9e:63:b4:5c:c8:93");
    static final IpAddress CTR = IpAddress.parse("192.168.136.240");
    static final IpAddress HOST = IpAddress.parse("192.168.136.130");
    static final IpAddress CTR6 = IpAddress.parse("fd00:136::240");
    static final IpAddress HOST6 = IpAddress.parse("fd00:136::130");

    @Test
    void decodesAnArpRequestAndReply() {
        Frame req = FrameDecoder.decode(P, Direction.OUT, 5, Packets.arpRequest(CTR_MAC, CTR, HOST), 42);
        assertThat(req.kind()).isEqualTo(FrameKind.ARP_REQUEST);
        assertThat(req.srcIp()).isEqualTo(CTR);
        assertThat(req.dstIp()).isEqualTo(HOST);
        assertThat(req.dstMac()).isEqualTo(Mac.BROADCAST);
        assertThat(req.senderMac()).isEqualTo(CTR_MAC);
        assertThat(req.summary()).isEqualTo("ARP who-has 192.168.136.130 tell 192.168.136.240");
        Frame rep = FrameDecoder.decode(P, Direction.IN, 6, Packets.arpReply(SHIM_MAC, HOST, CTR_MAC, CTR), 42);
        assertThat(rep.kind()).isEqualTo(FrameKind.ARP_REPLY);
        assertThat(rep.senderMac()).isEqualTo(SHIM_MAC);
        assertThat(rep.summary()).isEqualTo("ARP reply 192.168.136.130 is-at 9e:63:b4:5c:c8:93");
    }

    @Test
    void decodesEchoesAndFindsOurToken() {
        ProbeIds ids = new ProbeIds(4242, 0x1122334455667788L);
        byte[] b = Packets.echoFrame(SHIM_MAC, CTR_MAC, HOST, CTR, true, 4242, 1, ids.payload(1));
        Frame f = FrameDecoder.decode(P, Direction.IN, 7, b, b.length);
        assertThat(f.kind()).isEqualTo(FrameKind.ICMP_ECHO_REQUEST);
        assertThat(f.icmpId()).isEqualTo(4242);
        assertThat(f.icmpSeq()).isEqualTo(1);
        assertThat(f.token()).isEqualTo(0x1122334455667788L);
        assertThat(f.srcMac()).isEqualTo(SHIM_MAC);
        byte[] plain = Packets.echoFrame(CTR_MAC, SHIM_MAC, CTR, HOST, false, 7, 3, new byte[56]);
        Frame g = FrameDecoder.decode(P, Direction.OUT, 8, plain, plain.length);
        assertThat(g.kind()).isEqualTo(FrameKind.ICMP_ECHO_REPLY);
        assertThat(g.token()).isZero();
    }

    @Test
    void decodesIcmpv6EchoesAndNeighbourDiscovery() {
        ProbeIds ids = new ProbeIds(4242, 0x1122334455667788L);
        byte[] b = Packets.echoFrame(SHIM_MAC, CTR_MAC, HOST6, CTR6, true, 4242, 1, ids.payload(1));
        Frame f = FrameDecoder.decode(P, Direction.IN, 7, b, b.length);
        assertThat(f.kind()).isEqualTo(FrameKind.ICMP6_ECHO_REQUEST);
        assertThat(f.srcIp()).isEqualTo(HOST6);
        assertThat(f.dstIp()).isEqualTo(CTR6);
        assertThat(f.icmpId()).isEqualTo(4242);
        assertThat(f.token()).isEqualTo(0x1122334455667788L);
        byte[] ns = Packets.neighbourSolicitation(CTR_MAC, CTR6, HOST6, 0x55L);
        Frame s = FrameDecoder.decode(P, Direction.OUT, 8, ns, ns.length);
        assertThat(s.kind()).isEqualTo(FrameKind.NDP_SOLICIT);
        assertThat(s.srcIp()).isEqualTo(CTR6);
        assertThat(s.dstIp()).isEqualTo(HOST6);
        assertThat(s.senderMac()).isEqualTo(CTR_MAC);
        assertThat(s.token()).isEqualTo(0x55L);
        assertThat(Mac.format(s.dstMac())).isEqualTo("33:33:ff:00:01:30");
        assertThat(s.summary()).isEqualTo("NDP who-has fd00:136::130 tell fd00:136::240");
        // An advertisement of the host's address with the shim's MAC, to the container.
        byte[] na = new byte[32];
        na[0] = (byte) 136;
        System.arraycopy(HOST6.bytes(), 0, na, 8, 16);
        na[24] = 2;
        na[25] = 1;
        for (int i = 0; i < 6; i++) {
            na[26 + i] = (byte) (SHIM_MAC >>> (40 - 8 * i));
        }
        byte[] adv = Packets.ipv6Frame(SHIM_MAC, CTR_MAC, HOST6.bytes(), CTR6.bytes(), 255, na);
        Frame a = FrameDecoder.decode(P, Direction.IN, 9, adv, adv.length);
        assertThat(a.kind()).isEqualTo(FrameKind.NDP_ADVERT);
        assertThat(a.srcIp()).isEqualTo(HOST6);
        assertThat(a.dstIp()).isEqualTo(CTR6);
        assertThat(a.senderMac()).isEqualTo(SHIM_MAC);
        // Ours checks out as the kernel computes it: the checksum over the pseudo-header sums to zero.
        assertThat(checksumOk(ns)).isTrue();
        assertThat(FrameDecoder.matters(ByteBuffer.wrap(ns), 0, ns.length)).isTrue();
    }

    /** The ICMPv6 checksum of a frame built by Packets, verified independently. */
    static boolean checksumOk(byte[] frame) {
        int len = ((frame[18] & 0xff) << 8) | (frame[19] & 0xff);
        long sum = 0;
        for (int i = 22; i < 54; i += 2) {
            sum += ((frame[i] & 0xff) << 8) | (frame[i + 1] & 0xff);
        }
        sum += len + 58;
        for (int i = 54; i < 54 + len; i += 2) {
            int hi = frame[i] & 0xff;
            int lo = i + 1 < 54 + len ? frame[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum == 0xffff;
    }

    @Test
    void skipsWhatCannotMatterWithoutDecoding() {
        byte[] udp = Packets.echoFrame(SHIM_MAC, CTR_MAC, HOST, CTR, true, 1, 1, new byte[8]);
        udp[23] = 17;
        assertThat(FrameDecoder.matters(ByteBuffer.wrap(udp), 0, udp.length)).isFalse();
        assertThat(FrameDecoder.decode(P, Direction.IN, 0, udp, udp.length, udp.length, true)).isNull();
        assertThat(FrameDecoder.decode(P, Direction.IN, 0, udp, udp.length, udp.length, false).kind())
                .isEqualTo(FrameKind.IPV4_OTHER);
    }

    @Test
    void readsThroughOneVlanTag() {
        byte[] arp = Packets.arpRequest(CTR_MAC, CTR, HOST);
        byte[] tagged = new byte[arp.length + 4];
        System.arraycopy(arp, 0, tagged, 0, 12);
        tagged[12] = (byte) 0x81;
        tagged[14] = 0;
        tagged[15] = 100;
        System.arraycopy(arp, 12, tagged, 16, arp.length - 12);
        assertThat(FrameDecoder.decode(P, Direction.IN, 0, tagged, tagged.length).kind()).isEqualTo(FrameKind.ARP_REQUEST);
    }

    @Test
    void truncatedFramesAreOtherNotErrors() {
        byte[] echo = Packets.echoFrame(SHIM_MAC, CTR_MAC, HOST, CTR, true, 1, 1, new byte[56]);
        for (int len = 0; len < echo.length; len++) {
            Frame f = FrameDecoder.decode(P, Direction.IN, 0, Arrays.copyOf(echo, len), echo.length);
            if (len < 14 + 20 + 8) {
                assertThat(f.kind()).as("length " + len).isIn(FrameKind.OTHER, FrameKind.IPV4_OTHER);
            }
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[rnd.nextInt(120)];
            rnd.nextBytes(b);
            if (b.length > 13 && rnd.nextBoolean()) {
                b[12] = 8;
                int t = rnd.nextInt(3);
                b[12] = (byte) (t == 2 ? 0x86 : 8);
                b[13] = (byte) (t == 0 ? 0 : t == 1 ? 6 : 0xdd);
                if (b.length > 14) {
                    b[14] = (byte) ((t == 2 ? 0x60 : 0x40) | rnd.nextInt(16));
                }
                if (t == 2 && b.length > 20) {
                    b[20] = (byte) (rnd.nextBoolean() ? 58 : rnd.nextInt(64));
                }
            }
            FrameDecoder.decode(P, Direction.IN, 0, b, b.length);
        }
    }
}
