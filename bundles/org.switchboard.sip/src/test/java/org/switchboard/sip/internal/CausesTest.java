package org.switchboard.sip.internal;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.core.api.HangupCause;

import static org.assertj.core.api.Assertions.assertThat;

class CausesTest {

    @Test
    void theCommonCausesSurviveTheRoundTrip() {
        for (int code : new int[] {1, 16, 17, 18, 21, 28, 65, 102}) {
            HangupCause cause = HangupCause.of(code);
            int status = Causes.toSip(cause);
            assertThat(Causes.fromSip(status).code()).as("Q.850 %d -> SIP %d", code, status)
                    .isEqualTo(code == 18 ? 102 : code);
        }
        assertThat(Causes.toSip(HangupCause.of(17))).isEqualTo(486);
        assertThat(Causes.fromSip(404).code()).isEqualTo(1);
        assertThat(Causes.fromSip(599).code()).isEqualTo(41);
        assertThat(Causes.fromSip(699).code()).isEqualTo(31);
    }

    @Test
    void theReasonHeaderWinsOverTheFallback() {
        HangupCause fallback = HangupCause.NORMAL_CLEARING;
        assertThat(Causes.fromReason(List.of("Q.850;cause=17;text=\"User busy\""), fallback).code()).isEqualTo(17);
        assertThat(Causes.fromReason(List.of("SIP;cause=200;text=\"Call completed elsewhere\"", "q.850 ; cause = 34"), fallback)
                .code()).isEqualTo(34);
        assertThat(Causes.fromReason(List.of("Q.850;cause=999"), fallback)).isEqualTo(fallback);
        assertThat(Causes.fromReason(List.of("Q.850;text=nothing"), fallback)).isEqualTo(fallback);
        assertThat(Causes.fromReason(List.of(), fallback)).isEqualTo(fallback);
    }

    @Test
    void keysSentAsInfoAreRead() {
        assertThat(SipCalls.InfoKey.parse("application/dtmf-relay", "Signal=5\r\nDuration=250\r\n"))
                .isEqualTo(new SipCalls.InfoKey('5', 250));
        assertThat(SipCalls.InfoKey.parse("application/dtmf-relay", "Signal= #\nDuration=160")).isEqualTo(new SipCalls.InfoKey('#', 160));
        assertThat(SipCalls.InfoKey.parse("application/dtmf-relay", "Signal=11")).isEqualTo(new SipCalls.InfoKey('#', 160));
        assertThat(SipCalls.InfoKey.parse("application/dtmf", "*")).isEqualTo(new SipCalls.InfoKey('*', 160));
        assertThat(SipCalls.InfoKey.parse("application/dtmf-relay", "Signal=X")).isNull();
        assertThat(SipCalls.InfoKey.parse("application/dtmf-relay", "Duration=100")).isNull();
        assertThat(SipCalls.InfoKey.parse("application/media_control+xml", "<x/>")).isNull();
    }
}
