package org.switchboard.core.internal;

import org.junit.jupiter.api.Test;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.DigitRequest;
import org.switchboard.core.api.HangupCause;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTest {

    @Test
    void stateMachineAllowsOnlyTheDocumentedMoves() {
        assertThat(ChannelState.RINGING.canGoTo(ChannelState.ANSWERED)).isTrue();
        assertThat(ChannelState.RINGING.canGoTo(ChannelState.BRIDGED)).isFalse();
        assertThat(ChannelState.DIALING.canGoTo(ChannelState.RINGING)).isFalse();
        assertThat(ChannelState.BRIDGED.canGoTo(ChannelState.ANSWERED)).isTrue();
        for (ChannelState s : ChannelState.values()) {
            assertThat(ChannelState.HUNG_UP.canGoTo(s)).as("HUNG_UP is final").isFalse();
            if (s != ChannelState.HUNG_UP) {
                assertThat(s.canGoTo(ChannelState.HUNG_UP)).as(s + " can hang up").isTrue();
            }
        }
    }

    @Test
    void causesKeepUnknownValuesAndParseNamesOrNumbers() {
        assertThat(HangupCause.parse("normal_clearing")).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertThat(HangupCause.parse("17")).isEqualTo(HangupCause.USER_BUSY);
        assertThat(HangupCause.of(126).name()).isEqualTo("CAUSE_126");
        assertThat(HangupCause.NO_ANSWER.toString()).isEqualTo("NO_ANSWER(19)");
        assertThatThrownBy(() -> HangupCause.parse("bogus")).hasMessageContaining("unknown hangup cause 'bogus'")
                .hasMessageContaining("USER_BUSY");
        assertThatThrownBy(() -> HangupCause.of(0)).hasMessageContaining("1..127");
    }

    @Test
    void callerIdDisplaysWithheldAndUnknown() {
        assertThat(CallerId.withheld().display()).isEqualTo("withheld");
        assertThat(CallerId.UNKNOWN.display()).isEqualTo("unknown");
        assertThat(CallerId.of("8001", "Zhang Wei").display()).isEqualTo("8001 \"Zhang Wei\"");
    }

    @Test
    void digitRequestRejectsNonsense() {
        assertThatThrownBy(() -> new DigitRequest(0, "", Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("1..64");
        assertThatThrownBy(() -> new DigitRequest(4, "x", Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("terminator 'x'");
        assertThatThrownBy(() -> new DigitRequest(4, "#", Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("firstDigitTimeout must be positive");
    }

    @Test
    void callIdsAreUniqueAndSortable() {
        CallIds ids = new CallIds();
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertThat(seen.add(id)).isTrue();
            assertThat(id.length()).isEqualTo(previous.isEmpty() ? id.length() : previous.length());
            assertThat(id.compareTo(previous)).isPositive();
            previous = id;
        }
    }
}
