package org.switchboard.voicemail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordingPartsTest {

    static short[] tone(int amplitude) {
        short[] f = new short[160];
        for (int i = 0; i < f.length; i++) {
            f[i] = (short) (amplitude * Math.sin(2 * Math.PI * 400 * i / 8000.0));
        }
        return f;
    }

    @Test
    void silenceEndsAMessageOnlyAfterVoiceAndOnlyAfterItsTime() {
        SilenceDetector d = new SilenceDetector(50); // one second
        short[] quiet = tone(100); // line noise, under the threshold
        short[] voice = tone(4000);
        for (int i = 0; i < 60; i++) {
            assertThat(d.frame(quiet, true)).as("no voice yet, frame " + i).isFalse();
        }
        assertThat(d.frame(voice, true)).isFalse();
        for (int i = 0; i < 49; i++) {
            assertThat(d.frame(quiet, true)).isFalse();
        }
        assertThat(d.frame(quiet, true)).as("a second of quiet after voice").isTrue();
    }

    @Test
    void aCallerWhoNeverSpeaksEndsAfterTwiceTheSilenceTime() {
        SilenceDetector d = new SilenceDetector(50);
        short[] nothing = new short[160];
        for (int i = 0; i < 99; i++) {
            assertThat(d.frame(nothing, false)).isFalse();
        }
        assertThat(d.frame(nothing, false)).isTrue();
    }

    @Test
    void theRingKeepsFramesInOrderAndCountsWhatDidNotFit() {
        FrameRing r = new FrameRing(4, 160);
        for (int i = 0; i < 6; i++) {
            short[] f = new short[160];
            f[0] = (short) i;
            r.put(f);
        }
        assertThat(r.dropped()).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            assertThat(r.peek()[0]).isEqualTo((short) i);
            r.release();
        }
        assertThat(r.peek()).isNull();
    }
}
