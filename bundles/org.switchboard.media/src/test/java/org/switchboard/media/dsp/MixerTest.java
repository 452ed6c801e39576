package org.switchboard.media.dsp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MixerTest {

    private static short[] constant(int v) {
        short[] f = new short[160];
        java.util.Arrays.fill(f, (short) v);
        return f;
    }

    private static short[] sine(double hz, int amplitude, int phase) {
        short[] f = new short[160];
        for (int i = 0; i < 160; i++) {
            f[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * (i + phase) / 8000));
        }
        return f;
    }

    @Test
    void quietInputsAddUpExactlyWithGains() {
        Mixer m = new Mixer(4);
        short[] out = new short[160];
        m.mix(new short[][] {constant(1000), constant(-300), null}, new float[] {1f, 1f, 1f}, 3, out);
        assertThat(out).containsOnly((short) 700);

        m.mix(new short[][] {constant(1000), constant(1000)}, new float[] {Mixer.gain(-6), 0.5f}, 2, out);
        assertThat(out[0]).isBetween((short) 1000, (short) 1003);
        assertThat(m.limitedFrames(0)).isZero();
    }

    @Test
    void loudSumsAreLimitedNotClippedAndTheGainComesBackSlowly() {
        Mixer m = new Mixer(3);
        short[] out = new short[160];
        short[][] loud = {sine(400, 30000, 0), sine(400, 30000, 0), sine(400, 30000, 0)};

        m.mix(loud, null, 3, out);

        int peak = 0;
        for (short s : out) {
            peak = Math.max(peak, Math.abs(s));
        }
        assertThat(peak).as("no sample at the rails").isLessThan(32767).isGreaterThan(30000);
        assertThat(m.limitedFrames(0)).isEqualTo(1);
        // the shape is kept: a scaled sine, not a squared-off one
        short[] reference = sine(400, 10000, 0);
        double corr = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < 160; i++) {
            corr += out[i] * (double) reference[i];
            a += out[i] * (double) out[i];
            b += reference[i] * (double) reference[i];
        }
        assertThat(corr / Math.sqrt(a * b)).isGreaterThan(0.99);

        short[] quiet = new short[160];
        int frames = 0;
        do {
            m.mix(new short[][] {constant(1000)}, null, 1, quiet);
            frames++;
        } while (quiet[159] < 995 && frames < 100);
        assertThat(frames).as("recovery from -9.5 dB takes several frames, not one").isBetween(4, 20);
    }

    @Test
    void aConferenceParticipantNeverHearsItself() {
        Mixer m = new Mixer(3);
        short[][] in = {constant(100), constant(200), constant(400)};
        short[][] out = {new short[160], new short[160], new short[160]};

        m.mixMinusOne(in, 3, out);

        assertThat(out[0]).containsOnly((short) 600);
        assertThat(out[1]).containsOnly((short) 500);
        assertThat(out[2]).containsOnly((short) 300);
        assertThatThrownBy(() -> m.mixMinusOne(in, 4, out)).hasMessageContaining("up to 3 inputs");
        assertThatThrownBy(() -> new Mixer(0)).hasMessageContaining("1..256");
    }
}
