package org.switchboard.media.dsp;

import org.switchboard.core.api.MediaFormat;

/**
 * Mixes 20 ms frames: a conference (each participant hears all the others), a recording tap (both
 * sides of a call into one track), a whisper (a supervisor heard by the agent only) are all sums
 * of frames with gains, kept in 16 bits by a {@link Limiter} per output. Preallocated for a
 * maximum number of inputs; no allocation per frame.
 */
public final class Mixer {

    private final int maxInputs;
    private final int[] total = new int[MediaFormat.SAMPLES_PER_FRAME];
    private final int[] sum = new int[MediaFormat.SAMPLES_PER_FRAME];
    private final Limiter[] limiters;

    public Mixer(int maxInputs) {
        if (maxInputs < 1 || maxInputs > 256) {
            throw new IllegalArgumentException("a mixer takes 1..256 inputs, got " + maxInputs);
        }
        this.maxInputs = maxInputs;
        this.limiters = new Limiter[maxInputs];
        for (int i = 0; i < maxInputs; i++) {
            limiters[i] = new Limiter();
        }
    }

    /** A gain in dB as a linear factor. */
    public static float gain(double db) {
        return (float) Math.pow(10, db / 20);
    }

    /**
     * One output: {@code out = limit(sum of gain[i] * in[i])} for the first {@code count} inputs. A null
     * input is silence (a participant who had nothing to say this tick).
     */
    public void mix(short[][] in, float[] gain, int count, short[] out) {
        check(count);
        java.util.Arrays.fill(sum, 0);
        for (int i = 0; i < count; i++) {
            short[] frame = in[i];
            if (frame == null) {
                continue;
            }
            float g = gain == null ? 1f : gain[i];
            if (g == 1f) {
                for (int s = 0; s < sum.length; s++) {
                    sum[s] += frame[s];
                }
            } else {
                for (int s = 0; s < sum.length; s++) {
                    sum[s] += Math.round(frame[s] * g);
                }
            }
        }
        limiters[0].apply(sum, sum.length, out);
    }

    /**
     * A conference: {@code out[i]} gets every input but {@code in[i]} (nobody hears their own voice
     * back), each output limited on its own.
     */
    public void mixMinusOne(short[][] in, int count, short[][] out) {
        check(count);
        java.util.Arrays.fill(total, 0);
        for (int i = 0; i < count; i++) {
            if (in[i] != null) {
                for (int s = 0; s < total.length; s++) {
                    total[s] += in[i][s];
                }
            }
        }
        for (int i = 0; i < count; i++) {
            short[] own = in[i];
            for (int s = 0; s < sum.length; s++) {
                sum[s] = own == null ? total[s] : total[s] - own[s];
            }
            limiters[i].apply(sum, sum.length, out[i]);
        }
    }

    private void check(int count) {
        if (count < 0 || count > maxInputs) {
            throw new IllegalArgumentException("this mixer takes up to " + maxInputs + " inputs, got " + count);
        }
    }

    /** Frames in which output {@code i} needed limiting. */
    public long limitedFrames(int i) {
        return limiters[i].limitedFrames();
    }
}
