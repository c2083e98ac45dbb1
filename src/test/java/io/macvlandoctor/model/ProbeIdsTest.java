package io.macvlandoctor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeIdsTest {
    @Test
    void idsComeFromTheRandomBytes() {
        byte[] r = {1, 2, 3, 4, 5, 6, 7, 8, 0x12, 0x34, 0, 0, 0, 0, 0, 0};
        assertThat(ProbeIds.of(r)).isEqualTo(new ProbeIds(1 + 0x1234, 0x0102030405060708L));
    }

    @Test
    void noTokenIsZeroAndEveryIdIsAnEchoIdentifier() {
        assertThat(ProbeIds.of(new byte[16])).isEqualTo(new ProbeIds(1, 1));
        byte[] high = new byte[16];
        high[8] = (byte) 0xff;
        high[9] = (byte) 0xff;
        assertThat(ProbeIds.of(high).icmpId()).isBetween(1, 0xfffe);
        high[9] = (byte) 0xfe;
        assertThat(ProbeIds.of(high).icmpId()).isBetween(1, 0xfffe);
    }

    @Test
    void runsGetOtherIds() {
        Set<Long> tokens = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ProbeIds ids = ProbeIds.random();
            assertThat(ids.icmpId()).isBetween(1, 0xfffe);
            tokens.add(ids.token());
        }
        assertThat(tokens).hasSize(100);
    }
}
