package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.Codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpTest {

    static final String SIPP_OFFER = """
            v=0\r
            o=user1 53655765 2353687637 IN IP4 127.0.0.1\r
            s=-\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=audio 6000 RTP/AVP 8 0 101\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-11,16\r
            a=ptime:20\r
            """;

    @Test
    void anOfferIsReadAndAnsweredWithTheOfferersFirstCodecAndTheirEventType() throws Exception {
        Sdp.Audio offer = Sdp.parse(SIPP_OFFER);

        assertThat(offer.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 6000));
        assertThat(offer.formats()).containsExactly(8, 0, 101);
        assertThat(offer.telephoneEvent()).isEqualTo(101);
        assertThat(offer.ptime()).isEqualTo(20);
        assertThat(offer.hold()).isFalse();
        assertThat(Sdp.choose(offer)).isEqualTo(Codec.PCMA);

        String answer = Sdp.answer(offer, Codec.PCMA, new InetSocketAddress(InetAddress.getByName("10.0.0.5"), 12000), 7, 1);
        assertThat(answer).contains("c=IN IP4 10.0.0.5\r\n").contains("m=audio 12000 RTP/AVP 8 101\r\n")
                .contains("a=rtpmap:101 telephone-event/8000\r\n").contains("a=sendrecv\r\n").doesNotContain("PCMU");
        Sdp.Audio back = Sdp.parse(answer);
        assertThat(back.formats()).containsExactly(8, 101);
    }

    @Test
    void holdIsSendonlyInactiveOrTheOldZeroAddress() throws Exception {
        Sdp.Audio sendonly = Sdp.parse(SIPP_OFFER + "a=sendonly\r\n");
        assertThat(sendonly.hold()).isTrue();
        assertThat(sendonly.direction().answer()).isEqualTo(Sdp.Direction.RECVONLY);
        assertThat(Sdp.parse(SIPP_OFFER + "a=inactive\r\n").direction().answer()).isEqualTo(Sdp.Direction.INACTIVE);
        assertThat(Sdp.parse(SIPP_OFFER.replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0")).hold()).isTrue();
    }

    @Test
    void staticPayloadTypesWithoutRtpmapAndOurOffer() throws Exception {
        Sdp.Audio bare = Sdp.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18 0\r\n");
        assertThat(Sdp.choose(bare)).isEqualTo(Codec.PCMU);
        assertThat(bare.telephoneEvent()).isEqualTo(-1);

        String offer = Sdp.offer(new InetSocketAddress("127.0.0.1", 10000), 1, 1, Codec.PCMU, Sdp.Direction.SENDRECV);
        Sdp.Audio ours = Sdp.parse(offer);
        assertThat(ours.formats()).containsExactly(0, 8, 101);
        assertThat(ours.telephoneEvent()).isEqualTo(101);
    }

    @Test
    void badOffersAreExplained() {
        assertThatThrownBy(() -> Sdp.choose(Sdp.parse(SIPP_OFFER.replace("m=audio 6000 RTP/AVP 8 0 101", "m=audio 6000 RTP/AVP 18 101"))))
                .hasMessageContaining("no common codec").hasMessageContaining("[18, 101]");
        assertThatThrownBy(() -> Sdp.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n"))
                .hasMessageContaining("no audio");
        assertThatThrownBy(() -> Sdp.parse("hello")).isInstanceOf(Sdp.SdpProblem.class);
        assertThatThrownBy(() -> Sdp.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"))
                .hasMessageContaining("no c= line");
    }

    @Test
    void causesMapBothWays() {
        assertThat(Causes.fromSip(486).code()).isEqualTo(17);
        assertThat(Causes.fromSip(404).code()).isEqualTo(1);
        assertThat(Causes.fromSip(408).code()).isEqualTo(102);
        assertThat(Causes.fromSip(603).code()).isEqualTo(21);
        assertThat(Causes.toSip(org.switchboard.core.api.HangupCause.USER_BUSY)).isEqualTo(486);
        assertThat(Causes.toSip(org.switchboard.core.api.HangupCause.NO_ANSWER)).isEqualTo(480);
        assertThat(Causes.toSip(org.switchboard.core.api.HangupCause.UNALLOCATED_NUMBER)).isEqualTo(404);
        assertThat(Causes.toSip(org.switchboard.core.api.HangupCause.SWITCH_CONGESTION)).isEqualTo(503);
    }
}
