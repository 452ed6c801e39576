package org.switchboard.media.dsp;

/**
 * Keeps a summed signal inside 16 bits without hard clipping: when a frame would overflow, the
 * gain drops at once to what fits (attack within the frame, interpolated from the previous gain so
 * there is no step) and comes back slowly (about 6 dB per 100 ms) once the peaks are gone. State
 * for one output; no allocation.
 */
public final class Limiter {

    private static final int CEILING = 32000;
    private static final float RELEASE_PER_FRAME = 1.18f;
    private float gain = 1f;
    private long limitedFrames;

    /**
     * @param sum the frame as 32-bit sums
     * @param n   samples
     * @param out where the limited 16-bit frame goes
     */
    public void apply(int[] sum, int n, short[] out) {
        int peak = 0;
        for (int i = 0; i < n; i++) {
            int a = Math.abs(sum[i]);
            if (a > peak) {
                peak = a;
            }
        }
        // the gain that fits this frame; going down happens at once, coming back up slowly
        float fits = peak <= CEILING ? 1f : (float) CEILING / peak;
        float wanted = Math.min(fits, Math.min(1f, gain * RELEASE_PER_FRAME));
        if (fits < 1f) {
            limitedFrames++;
        }
        float start = gain;
        boolean attack = wanted < start;
        float step = (wanted - start) / n;
        for (int i = 0; i < n; i++) {
            float g = attack ? wanted : start + step * (i + 1);
            int v = Math.round(sum[i] * g);
            out[i] = (short) (v > 32767 ? 32767 : v < -32768 ? -32768 : v);
        }
        gain = wanted;
    }

    public float gain() {
        return gain;
    }

    /** Frames in which the limiter had to reduce the gain. */
    public long limitedFrames() {
        return limitedFrames;
    }

    public void reset() {
        gain = 1f;
    }
}
