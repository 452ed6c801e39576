package org.switchboard.media.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {

    @Test
    void aReportWeWriteIsReadBackByThePeer() {
        byte[] b = new byte[512];
        int len = Rtcp.write(b, 0x11111111, true, 12345, 500, 80000, true, 0x22222222, 64, 12, 70000,
                80.0, 0, 0, 0, Rtcp.cname("10.0.0.1"));
        assertThat(len % 4).isZero();
        assertThat(b[1] & 0xFF).isEqualTo(Rtcp.SR);

        // the peer (SSRC 0x22222222) reads what we say about it
        Rtcp.Report r = new Rtcp.Report();
        assertThat(Rtcp.read(b, len, 0x22222222, r, 1_000_000)).isTrue();
        assertThat(r.fractionLost).isEqualTo(0.25);
        assertThat(r.cumulativeLost).isEqualTo(12);
        assertThat(r.jitterMs).isEqualTo(10.0);
        assertThat(r.lastSrArrivalNanos).isEqualTo(1_000_000);
    }

    @Test
    void aReceiverReportAndGarbage() {
        byte[] b = new byte[512];
        int len = Rtcp.write(b, 7, false, 0, 0, 0, true, 9, 0, 0, 100, 8, 0, 0, 0, Rtcp.cname("h"));
        assertThat(b[1] & 0xFF).isEqualTo(Rtcp.RR);
        Rtcp.Report r = new Rtcp.Report();
        assertThat(Rtcp.read(b, len, 9, r, 0)).isTrue();
        assertThat(r.reports).isEqualTo(1);
        assertThat(Rtcp.read(new byte[] {1, 2, 3, 4, 5}, 5, 9, new Rtcp.Report(), 0)).isFalse();
        byte[] lying = b.clone();
        lying[3] = (byte) 200; // length beyond the datagram
        assertThat(Rtcp.read(lying, len, 9, new Rtcp.Report(), 0)).isFalse();
    }

    @Test
    void sequenceNumbersWrapAndLossIsCounted() {
        SequenceTracker t = new SequenceTracker();
        for (int i = 0; i < 70000; i++) {
            if (i % 100 != 50) {
                assertThat(t.update((65000 + i) & 0xFFFF)).isTrue();
            }
        }
        assertThat(t.expected()).isEqualTo(70000);
        assertThat(t.lost()).isEqualTo(700);
        assertThat(t.extendedMax()).isEqualTo(65000L + 69999);
        assertThat(t.fractionLostSinceLast()).isEqualTo(2);
    }

    @Test
    void aWildJumpNeedsConfirmation() {
        SequenceTracker t = new SequenceTracker();
        t.update(100);
        t.update(101);
        assertThat(t.update(40000)).isFalse();
        assertThat(t.update(40001)).as("confirmed: the source restarted").isTrue();
        assertThat(t.update(40002)).isTrue();
        assertThat(t.lost()).isZero();
    }

    @Test
    void headerFieldsAndLies() {
        byte[] p = new byte[40];
        RtpHeader.write(p, true, 8, 0xABCD, 0x12345678, 0xCAFEBABE);
        assertThat(RtpHeader.version(p)).isEqualTo(2);
        assertThat(RtpHeader.marker(p)).isTrue();
        assertThat(RtpHeader.payloadType(p)).isEqualTo(8);
        assertThat(RtpHeader.sequence(p)).isEqualTo(0xABCD);
        assertThat(RtpHeader.timestamp(p)).isEqualTo(0x12345678);
        assertThat(RtpHeader.ssrc(p)).isEqualTo(0xCAFEBABE);
        assertThat(RtpHeader.payloadOffset(p, 40)).isEqualTo(12);

        p[0] = (byte) 0x8F; // 15 CSRCs: 72 bytes of header in a 40-byte datagram
        assertThat(RtpHeader.payloadOffset(p, 40)).isEqualTo(-1);
        p[0] = (byte) 0x90; // extension with a huge length
        p[14] = (byte) 0xFF;
        p[15] = (byte) 0xFF;
        assertThat(RtpHeader.payloadOffset(p, 40)).isEqualTo(-1);
        p[0] = (byte) 0xA0; // padding count beyond the packet
        p[39] = (byte) 200;
        assertThat(RtpHeader.payloadEnd(p, 40)).isEqualTo(-1);
        p[39] = 4;
        assertThat(RtpHeader.payloadEnd(p, 40)).isEqualTo(36);
    }
}
