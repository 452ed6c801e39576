package org.switchboard.media.dsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test-only signal synthesis and detector driving helpers. */
final class Signals {

    static final int FS = 8000;
    static final int FRAME = 160;
    static final String DIGITS = "123A456B789C*0#D";
    static final double[] ROWS = {697, 770, 852, 941};
    static final double[] COLS = {1209, 1336, 1477, 1633};

    private Signals() {
    }

    static double rowOf(char digit) {
        return ROWS[DIGITS.indexOf(digit) / 4];
    }

    static double colOf(char digit) {
        return COLS[DIGITS.indexOf(digit) % 4];
    }

    static int ms(double ms) {
        return (int) Math.round(ms * FS / 1000.0);
    }

    /** Sum of two sines at the given per-tone levels, saturated to 16 bits (as a codec would). */
    static short[] dualTone(double f1, double dbm1, double f2, double dbm2, int samples, double phase1, double phase2) {
        double a1 = Dbm0.peakAmplitude(dbm1);
        double a2 = Dbm0.peakAmplitude(dbm2);
        short[] out = new short[samples];
        for (int n = 0; n < samples; n++) {
            double v = a1 * Math.sin(2 * Math.PI * f1 * n / FS + phase1) + a2 * Math.sin(2 * Math.PI * f2 * n / FS + phase2);
            out[n] = clip(v);
        }
        return out;
    }

    static short[] digit(char d, double dbm0, int samples) {
        return dualTone(rowOf(d), dbm0, colOf(d), dbm0, samples, 0.3, 1.1);
    }

    static short clip(double v) {
        long r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    static short[] silence(int samples) {
        return new short[samples];
    }

    static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int o = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** Adds white Gaussian noise whose total power is {@code dbm0}. */
    static short[] withNoise(short[] x, double dbm0, long seed) {
        Random rnd = new Random(seed);
        double sigma = Dbm0.ZERO_DBM0_PEAK / Math.sqrt(2.0) * Math.pow(10.0, dbm0 / 20.0);
        short[] out = new short[x.length];
        for (int n = 0; n < x.length; n++) {
            out[n] = clip(x[n] + sigma * rnd.nextGaussian());
        }
        return out;
    }

    /** Mixes two signals sample by sample (the shorter is zero-padded). */
    static short[] mix(short[] a, short[] b) {
        short[] out = new short[Math.max(a.length, b.length)];
        for (int n = 0; n < out.length; n++) {
            int v = (n < a.length ? a[n] : 0) + (n < b.length ? b[n] : 0);
            out[n] = clip(v);
        }
        return out;
    }

    static short[] scale(short[] x, double gain) {
        short[] out = new short[x.length];
        for (int n = 0; n < x.length; n++) {
            out[n] = clip(x[n] * gain);
        }
        return out;
    }

    static double meanSquare(short[] x) {
        double s = 0;
        for (short v : x) {
            s += (double) v * v;
        }
        return x.length == 0 ? 0 : s / x.length;
    }

    /** What a detector reported for one signal. */
    record Detection(String digits, List<Integer> durationsMs, long rejected) {
    }

    /** Runs a fresh detector over the signal (in 20 ms frames), followed by 200 ms of silence to flush it. */
    static Detection detect(short[] signal) {
        StringBuilder digits = new StringBuilder();
        List<Integer> durations = new ArrayList<>();
        DtmfDetector det = new DtmfDetector((d, ms) -> {
            digits.append(d);
            durations.add(ms);
        });
        feed(det, signal);
        feed(det, silence(ms(200)));
        return new Detection(digits.toString(), durations, det.rejected());
    }

    /** Feeds in 160-sample frames; the last partial frame is zero padded. */
    static void feed(DtmfDetector det, short[] signal) {
        short[] frame = new short[FRAME];
        for (int o = 0; o < signal.length; o += FRAME) {
            int n = Math.min(FRAME, signal.length - o);
            System.arraycopy(signal, o, frame, 0, n);
            if (n < FRAME) {
                java.util.Arrays.fill(frame, n, FRAME, (short) 0);
            }
            det.process(frame);
        }
    }
}
