package io.macvlandoctor.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtNetlinkTest {
    /** Link-layer addresses as iproute2 prints them: two lower-case digits a byte, whatever their number. */
    @Test
    void addressesAreWrittenAsIpPrintsThem() {
        assertThat(RtNetlink.mac(new byte[] {0x02, 0x42, (byte) 0xc0, (byte) 0xa8, 0x00, (byte) 0xff}))
                .isEqualTo("02:42:c0:a8:00:ff");
        assertThat(RtNetlink.mac(new byte[] {10, 0, 0, 1})).isEqualTo("0a:00:00:01");
        assertThat(RtNetlink.mac(new byte[0])).isEmpty();
    }
}
