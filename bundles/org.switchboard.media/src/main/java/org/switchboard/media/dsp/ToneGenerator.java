package org.switchboard.media.dsp;

import java.util.Objects;

/**
 * Plays a {@link ToneSpec} as 8 kHz 16-bit linear PCM.
 *
 * <ul>
 *   <li>Each frequency comes from a precomputed table holding exactly one period of its sine at 8 kHz
 *       ({@code 8000 / gcd(8000, f)} samples: 160 for 450 Hz, 320 for 425 Hz...). The table index wraps,
 *       so the phase never drifts however long the tone plays, unlike a recursive oscillator whose
 *       amplitude slowly wanders with rounding.</li>
 *   <li>The oscillators run continuously, also through the silent parts of the cadence, and across frame
 *       boundaries: the output is one continuous waveform that is merely gated on and off.</li>
 *   <li>The cadence is counted in samples, not frames, so 350 ms bursts (not a multiple of 20 ms) are
 *       exact and the generator may be read with any frame length.</li>
 *   <li>Each burst fades in and out over {@value #RAMP_SAMPLES} samples (2 ms, raised cosine) inside its
 *       on time, because gating a sine at an arbitrary phase produces an audible click. Off periods are
 *       exactly zero. A continuous tone starts at sine phase 0 (value 0) and needs no ramp.</li>
 * </ul>
 *
 * <p>Not thread-safe; one instance per channel. {@link #read} does not allocate.
 */
public final class ToneGenerator implements org.switchboard.core.api.AudioSource {

    static final int SAMPLE_RATE = 8000;
    /** Fade length at both ends of each burst (2 ms). */
    static final int RAMP_SAMPLES = 16;

    private final double[][] tables;
    private final int[] index;
    /** Segment lengths in samples: on, off, on, off... (empty when continuous). */
    private final int[] segments;
    /** Gain of the first {@link #RAMP_SAMPLES} samples of a burst (mirrored for its end). */
    private final double[] ramp = new double[RAMP_SAMPLES];

    private int segment;
    private int segmentPos;

    public ToneGenerator(ToneSpec spec) {
        Objects.requireNonNull(spec, "spec");
        int[] freqs = spec.frequenciesHz();
        double amplitude = Dbm0.peakAmplitude(spec.levelDbm0PerFrequency());
        tables = new double[freqs.length][];
        index = new int[freqs.length];
        for (int i = 0; i < freqs.length; i++) {
            int period = SAMPLE_RATE / gcd(SAMPLE_RATE, freqs[i]);
            double[] t = new double[period];
            for (int n = 0; n < period; n++) {
                // (f·n) mod fs keeps the argument exact for every n of the period
                t[n] = amplitude * Math.sin(2.0 * Math.PI * ((long) freqs[i] * n % SAMPLE_RATE) / SAMPLE_RATE);
            }
            tables[i] = t;
        }
        int[] cadence = spec.cadenceMs();
        segments = new int[cadence.length];
        for (int i = 0; i < cadence.length; i++) {
            segments[i] = cadence[i] * (SAMPLE_RATE / 1000);
        }
        for (int k = 0; k < RAMP_SAMPLES; k++) {
            ramp[k] = 0.5 - 0.5 * Math.cos(Math.PI * (k + 0.5) / RAMP_SAMPLES);
        }
    }

    /**
     * Fills {@code frame} with the next samples (160 for the usual 20 ms frame; any length works).
     *
     * @return always true: call-progress tones play until the caller stops reading
     */
    @Override
    public boolean read(short[] frame) {
        for (int n = 0; n < frame.length; n++) {
            double gain = gain();
            double v = 0.0;
            for (int i = 0; i < tables.length; i++) {
                double[] t = tables[i];
                int k = index[i];
                v += t[k];
                index[i] = ++k == t.length ? 0 : k;
            }
            frame[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v * gain)));
            advanceCadence();
        }
        return true;
    }

    /** Envelope of the current sample: 0 when off, raised-cosine ramps at both ends of a burst. */
    private double gain() {
        if (segments.length == 0) {
            return 1.0;
        }
        if ((segment & 1) != 0) {
            return 0.0;
        }
        int fromStart = segmentPos;
        int fromEnd = segments[segment] - 1 - segmentPos;
        int edge = Math.min(fromStart, fromEnd);
        // a burst shorter than two ramps simply peaks in its middle
        return edge >= RAMP_SAMPLES ? 1.0 : ramp[edge];
    }

    private void advanceCadence() {
        if (segments.length != 0 && ++segmentPos == segments[segment]) {
            segmentPos = 0;
            segment = segment + 1 == segments.length ? 0 : segment + 1;
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
