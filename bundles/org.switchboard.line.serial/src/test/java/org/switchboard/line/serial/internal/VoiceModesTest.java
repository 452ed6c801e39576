package org.switchboard.line.serial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.core.api.CallerId;
import org.switchboard.line.serial.internal.audio.VoiceFormat;

class VoiceModesTest {

    static final List<String> CONEXANT = List.of(
            "0,\"SIGNED PCM\",8,0,(8000),(0),(0)",
            "1,\"UNSIGNED PCM\",8,0,(8000),(0),(0)",
            "4,\"G.711U\",8,0,(8000),(0),(0)",
            "5,\"G.711A\",8,0,(8000),(0),(0)",
            "129,\"16-BIT LINEAR\",16,0,(7200,8000,11025),(0),(0)");

    @Test
    void picksTheCountrysLawAtUsualBaudRates() {
        List<VoiceModes.Method> m = VoiceModes.parse(CONEXANT);
        assertThat(m).hasSize(5);
        assertThat(VoiceModes.choose(m, 115200, false).format()).isEqualTo(VoiceFormat.ALAW);
        assertThat(VoiceModes.choose(m, 115200, true).format()).isEqualTo(VoiceFormat.ULAW);
        assertThat(VoiceModes.choose(m, 460800, false).format()).isEqualTo(VoiceFormat.LINEAR16);
    }

    @Test
    void fallsBackToEightBitLinearAndRefusesWhatItCannotUse() {
        assertThat(VoiceModes.choose(VoiceModes.parse(List.of("1,\"UNSIGNED PCM\",8,0,8000,0,0")), 115200, false).id()).isEqualTo(1);
        assertThat(VoiceModes.choose(VoiceModes.parse(List.of("2,\"ADPCM\",4,0,(8000),(0),(0)",
                "4,\"G.711U\",8,0,(11025),(0),(0)", "garbage")), 115200, false)).isNull();
        assertThat(VoiceModes.choose(VoiceModes.parse(List.of("+VSM: 130,\"8-BIT ULAW\",8,0,(4800-9600),(0),(0)")), 115200, false)
                .format()).isEqualTo(VoiceFormat.ULAW);
    }

    @Test
    void callerIdLinesOfAV253Modem() {
        CallerIds.Collector c = new CallerIds.Collector();
        assertThat(c.accept("DATE = 1123")).isTrue();
        assertThat(c.complete()).isFalse();
        c.accept("NMBR = 010-8888 0001");
        c.accept("NAME = LI SI");
        assertThat(c.callerId()).isEqualTo(new CallerId("01088880001", "LI SI", CallerId.Presentation.ALLOWED));
        c.clear();
        c.accept("NMBR=P");
        assertThat(c.callerId().presentation()).isEqualTo(CallerId.Presentation.RESTRICTED);
        c.accept("NMBR = O");
        assertThat(c.callerId().presentation()).isEqualTo(CallerId.Presentation.UNAVAILABLE);
        assertThat(c.accept("RING")).isFalse();
    }

    @Test
    void clipOfAGsmModule() {
        assertThat(CallerIds.clip("+CLIP: \"+8613912345678\",145,\"\",,\"Wang, Wu\",0"))
                .isEqualTo(new CallerId("+8613912345678", "Wang, Wu", CallerId.Presentation.ALLOWED));
        assertThat(CallerIds.clip("+CLIP: \"\",128,,,,1").presentation()).isEqualTo(CallerId.Presentation.RESTRICTED);
        assertThat(CallerIds.clip("+CLIP: \"\",128,,,,2").presentation()).isEqualTo(CallerId.Presentation.UNAVAILABLE);
        assertThat(CallerIds.clip("+CLIP: \"13912345678\",129").number()).isEqualTo("13912345678");
    }
}
