package io.macvlandoctor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.FrameKind;
import io.macvlandoctor.model.Ipv4;
import io.macvlandoctor.model.Mac;
import io.macvlandoctor.model.ProbeIds;
import io.macvlandoctor.model.Role;
import io.macvlandoctor.probe.Packets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    static final CapturePoint P = CapturePoint.of(Role.CONTAINER, "eth0");
    static final long CTR_MAC = Mac.parse("02:42:c0:a8:88:f0");
    static final long SHIM_MAC = Mac.parse("9e:63:b4:5c:c8:93");
    static final int CTR = Ipv4.parse("192.168.136.240");
    static final int HOST = Ipv4.parse("192.168.136.130");

    @Test
    void decodesAnArpRequestAndReply() {
        Frame req = FrameDecoder.decode(P, Direction.OUT, 5, Packets.arpRequest(CTR_MAC, CTR, HOST), 42);
        assertThat(req.kind()).isEqualTo(FrameKind.ARP_REQUEST);
        assertThat(req.srcIp()).isEqualTo(CTR);
        assertThat(req.dstIp()).isEqualTo(HOST);
        assertThat(req.dstMac()).isEqualTo(Mac.BROADCAST);
        assertThat(req.arpSenderMac()).isEqualTo(CTR_MAC);
        assertThat(req.summary()).isEqualTo("ARP who-has 192.168.136.130 tell 192.168.136.240");
        Frame rep = FrameDecoder.decode(P, Direction.IN, 6, Packets.arpReply(SHIM_MAC, HOST, CTR_MAC, CTR), 42);
        assertThat(rep.kind()).isEqualTo(FrameKind.ARP_REPLY);
        assertThat(rep.arpSenderMac()).isEqualTo(SHIM_MAC);
        assertThat(rep.summary()).isEqualTo("ARP reply 192.168.136.130 is-at 9e:63:b4:5c:c8:93");
    }

    @Test
    void decodesEchoesAndFindsOurToken() {
        ProbeIds ids = new ProbeIds(4242, 0x1122334455667788L);
        byte[] b = Packets.echoFrame(SHIM_MAC, CTR_MAC, HOST, CTR, 8, 4242, 1, ids.payload(1));
        Frame f = FrameDecoder.decode(P, Direction.IN, 7, b, b.length);
        assertThat(f.kind()).isEqualTo(FrameKind.ICMP_ECHO_REQUEST);
        assertThat(f.icmpId()).isEqualTo(4242);
        assertThat(f.icmpSeq()).isEqualTo(1);
        assertThat(f.token()).isEqualTo(0x1122334455667788L);
        assertThat(f.srcMac()).isEqualTo(SHIM_MAC);
        byte[] plain = Packets.echoFrame(CTR_MAC, SHIM_MAC, CTR, HOST, 0, 7, 3, new byte[56]);
        Frame g = FrameDecoder.decode(P, Direction.OUT, 8, plain, plain.length);
        assertThat(g.kind()).isEqualTo(FrameKind.ICMP_ECHO_REPLY);
        assertThat(g.token()).isZero();
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
        byte[] echo = Packets.echoFrame(SHIM_MAC, CTR_MAC, HOST, CTR, 8, 1, 1, new byte[56]);
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
                b[13] = (byte) (rnd.nextBoolean() ? 0 : 6);
                if (b.length > 14) {
                    b[14] = (byte) (0x40 | rnd.nextInt(16));
                }
            }
            FrameDecoder.decode(P, Direction.IN, 0, b, b.length);
        }
    }
}
