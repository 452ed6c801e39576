package org.switchboard.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simulated hybrid: far signal through a 32 ms echo path (delayed, decaying, sign-varying impulse response,
 * 6-12 dB ERL) plus -60 dBFS line noise. Residual = everything the canceller outputs on far-only segments
 * (line noise included), so the ERLE figures are conservative. All randomness is seeded.
 */
class EchoCancellerTest {

    private static final int FS = 8000;
    private static final int FRAME = 160;
    private static final double FULL_SCALE = 32768.0;
    private static final double NOISE_DBFS = -60;
    private static final double FAR_DBFS = -10;

    // ---------------------------------------------------------------- 1. convergence

    @Test
    void convergesToAtLeast30DbErleOnSpeechLikeFarEnd() {
        int n = 8 * FS;
        short[] far = speechLike(11, n, FAR_DBFS);
        double[] echo = echo(far, echoPath(far, 21, 56, 256, 8.0), null, n);
        short[] near = mix(n, echo, noise(31, n, NOISE_DBFS));

        EchoCanceller ec = new EchoCanceller(32);
        short[] out = new short[n];
        run(ec, far, near, out, 0, n);

        double erle = erleDb(echo, out, 3 * FS, n);
        EchoCanceller.Stats stats = ec.stats();
        System.out.printf("converged: measured ERLE %.1f dB (3..8 s), stats %s%n", erle, stats);

        assertThat(erle).isGreaterThanOrEqualTo(30.0);
        assertThat(stats.converged()).isTrue();
        assertThat(stats.erleDb()).isCloseTo(erle, within(3.0));
        assertThat(stats.frames()).isEqualTo(n / FRAME);
        assertThat(stats.doubleTalkFrames()).isLessThan(n / FRAME / 20);
    }

    @Test
    void convergesOnWhiteNoiseAndLongerTail() {
        int n = 6 * FS;
        short[] far = new short[n];
        Random r = new Random(5);
        double rms = FULL_SCALE * Math.pow(10, -12 / 20.0);
        for (int i = 0; i < n; i++) {
            far[i] = clip(r.nextGaussian() * rms);
        }
        // 64 ms tail covering an echo delayed by 20 ms: the canceller must use its full length.
        double[] echo = echo(far, echoPath(far, 22, 160, 512, 10.0), null, n);
        short[] near = mix(n, echo, noise(32, n, NOISE_DBFS));

        EchoCanceller ec = new EchoCanceller(64);
        assertThat(ec.taps()).isEqualTo(512);
        short[] out = new short[n];
        run(ec, far, near, out, 0, n);

        double erle = erleDb(echo, out, 3 * FS, n);
        System.out.printf("white noise, 64 ms: measured ERLE %.1f dB, stats %s%n", erle, ec.stats());
        assertThat(erle).isGreaterThanOrEqualTo(30.0);
        assertThat(ec.stats().converged()).isTrue();
    }

    // ---------------------------------------------------------------- 2. double talk

    @Test
    void keepsNearSpeechInDoubleTalkAndDoesNotDiverge() {
        int n = 12 * FS;
        int dtFrom = 4 * FS;
        int dtTo = 8 * FS;
        short[] far = speechLike(12, n, FAR_DBFS);
        double[] echo = echo(far, echoPath(far, 23, 64, 256, 9.0), null, n);
        double[] noise = noise(33, n, NOISE_DBFS);
        short[] talkerAlone = speechLike(99, dtTo - dtFrom, FAR_DBFS);
        double[] speech = new double[n];
        int fade = FS / 20; // 50 ms in and out, so the talker does not stop with a click
        for (int i = dtFrom; i < dtTo; i++) {
            double edge = Math.min(1.0, Math.min(i - dtFrom, dtTo - 1 - i) / (double) fade);
            speech[i] = talkerAlone[i - dtFrom] * edge;
        }
        short[] near = mix(n, echo, noise, speech);

        EchoCanceller ec = new EchoCanceller(32);
        short[] out = new short[n];
        run(ec, far, near, out, 0, dtFrom);
        double erleBefore = erleDb(echo, out, 2 * FS, dtFrom);
        long dtFramesBefore = ec.stats().doubleTalkFrames();

        run(ec, far, near, out, dtFrom, n);
        // Start 100 ms after the talker stops: its own low-frequency tail through the DC blocker is near speech,
        // not residual echo.
        int settled = dtTo + FS / 10;
        double erleAfter = erleDb(echo, out, settled, n);
        double erleFirstSecondAfter = erleDb(echo, out, settled, settled + FS);

        // Output in double talk = near speech + line noise + what the canceller left of the echo.
        double expected = power(speech, dtFrom, dtTo) + power(noise, dtFrom, dtTo)
                + power(echo, dtFrom, dtTo) * Math.pow(10, -erleBefore / 10);
        double outDb = 10 * Math.log10(power(out, dtFrom, dtTo) / expected);
        double corr = correlation(out, speech, dtFrom, dtTo);
        long dtFrames = ec.stats().doubleTalkFrames() - dtFramesBefore;
        System.out.printf("double talk: ERLE before %.1f dB, output/expected %.2f dB, corr %.4f, "
                        + "DT frames %d of %d, ERLE after %.1f dB (first second %.1f dB), stats %s%n",
                erleBefore, outDb, corr, dtFrames, (dtTo - dtFrom) / FRAME, erleAfter, erleFirstSecondAfter,
                ec.stats());

        assertThat(erleBefore).isGreaterThanOrEqualTo(30.0);
        assertThat(outDb).isCloseTo(0.0, within(1.0));
        assertThat(corr).isGreaterThan(0.95);
        assertThat(dtFrames).isGreaterThan((dtTo - dtFrom) / FRAME / 2);
        assertThat(erleFirstSecondAfter).isGreaterThanOrEqualTo(30.0);
        assertThat(erleAfter).isGreaterThanOrEqualTo(30.0);
        assertThat(ec.stats().converged()).isTrue();
    }

    // ---------------------------------------------------------------- 3. echo path change

    @Test
    void reconvergesAfterEchoPathChange() {
        int n = 12 * FS;
        int change = 4 * FS;
        short[] far = speechLike(13, n, FAR_DBFS);
        double[] before = echoPath(far, 24, 56, 256, 8.0);
        double[] after = echoPath(far, 25, 80, 256, 7.0);
        double[] echo = echo(far, before, after, change);
        short[] near = mix(n, echo, noise(34, n, NOISE_DBFS));

        EchoCanceller ec = new EchoCanceller(32);
        short[] out = new short[n];
        run(ec, far, near, out, 0, n);

        double erleBefore = erleDb(echo, out, 2 * FS, change);
        double erleJustAfter = erleDb(echo, out, change, change + FS / 2);
        double erleAfter = erleDb(echo, out, change + FS, change + 3 * FS);
        System.out.printf("path change: ERLE before %.1f dB, first 0.5 s after %.1f dB, 1..3 s after %.1f dB, "
                + "3..8 s after %.1f dB, stats %s%n", erleBefore, erleJustAfter, erleAfter,
                erleDb(echo, out, change + 3 * FS, n), ec.stats());

        assertThat(erleBefore).isGreaterThanOrEqualTo(30.0);
        assertThat(erleAfter).isGreaterThanOrEqualTo(25.0);
        assertThat(ec.stats().converged()).isTrue();
    }

    // ---------------------------------------------------------------- 4. robustness, reset

    @Test
    void silenceGivesSilenceAndFiniteStats() {
        EchoCanceller ec = new EchoCanceller(32);
        short[] zeros = new short[FRAME];
        short[] out = new short[FRAME];
        for (int f = 0; f < 500; f++) {
            ec.process(zeros, zeros, out);
            assertThat(out).containsOnly((short) 0);
        }
        EchoCanceller.Stats stats = ec.stats();
        assertThat(stats.erleDb()).isFinite();
        assertThat(stats.converged()).isFalse();
        assertThat(stats.frames()).isEqualTo(500);
        assertThat(stats.doubleTalkFrames()).isZero();
    }

    @Test
    void fullScaleInputSaturatesInsteadOfWrappingAndRecovers() {
        EchoCanceller ec = new EchoCanceller(128);
        Random r = new Random(7);
        int n = 4 * FS;
        short[] far = new short[n];
        short[] near = new short[n];
        for (int i = 0; i < n; i++) {
            // Full-scale far (square-ish random) and a full-scale near square wave: every edge jumps by 65535.
            far[i] = r.nextBoolean() ? Short.MAX_VALUE : Short.MIN_VALUE;
            near[i] = (i / 40) % 2 == 0 ? Short.MIN_VALUE : Short.MAX_VALUE;
        }
        short[] out = new short[n];
        run(ec, far, near, out, 0, n);
        for (int i = 1; i < n; i++) {
            if (near[i - 1] == Short.MIN_VALUE && near[i] == Short.MAX_VALUE) {
                assertThat(out[i]).as("rising edge at %d", i).isEqualTo(Short.MAX_VALUE);
            }
            if (near[i - 1] == Short.MAX_VALUE && near[i] == Short.MIN_VALUE) {
                assertThat(out[i]).as("falling edge at %d", i).isEqualTo(Short.MIN_VALUE);
            }
        }
        assertThat(ec.stats().erleDb()).isFinite();

        // In-place processing, then silence: whatever the filter learnt, silence in gives silence out.
        short[] zeros = new short[FRAME];
        short[] buf = new short[FRAME];
        for (int f = 0; f < 200; f++) {
            java.util.Arrays.fill(buf, (short) 0);
            ec.process(zeros, buf, buf);
        }
        assertThat(buf).containsOnly((short) 0);
        assertThat(ec.stats().erleDb()).isFinite();
    }

    @Test
    void resetForgetsTheAdaptation() {
        int n = 6 * FS;
        short[] far = speechLike(14, n, FAR_DBFS);
        double[] echo = echo(far, echoPath(far, 26, 56, 256, 8.0), null, n);
        short[] near = mix(n, echo, noise(35, n, NOISE_DBFS));

        EchoCanceller ec = new EchoCanceller(32);
        short[] out = new short[n];
        // A loud far-end stretch of 40 ms (2 frames) after 4 s of adaptation.
        int at = loudFrameStart(far, 4 * FS);
        run(ec, far, near, out, 0, at);
        assertThat(ec.stats().converged()).isTrue();
        short[] replay = new short[2 * FRAME];
        runInto(ec, far, near, replay, at);
        double erleKept = erleDb(echo, replay, at);

        ec.reset();
        EchoCanceller.Stats stats = ec.stats();
        assertThat(stats.frames()).isZero();
        assertThat(stats.doubleTalkFrames()).isZero();
        assertThat(stats.converged()).isFalse();
        assertThat(stats.erleDb()).isZero();
        runInto(ec, far, near, replay, at);
        double erleAfterReset = erleDb(echo, replay, at);
        System.out.printf("reset: ERLE on the same 40 ms %.1f dB before reset, %.1f dB right after%n",
                erleKept, erleAfterReset);
        assertThat(erleKept).isGreaterThan(25.0);
        assertThat(erleAfterReset).isLessThan(3.0);
    }

    // ---------------------------------------------------------------- 5. constructor

    @Test
    void rejectsTailsOutside8To128Ms() {
        for (int bad : new int[] {0, 7, 129, -32}) {
            assertThatThrownBy(() -> new EchoCanceller(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8..128");
        }
        assertThatCode(() -> new EchoCanceller(8)).doesNotThrowAnyException();
        assertThat(new EchoCanceller(8).taps()).isEqualTo(64);
        assertThat(new EchoCanceller(128).taps()).isEqualTo(1024);
    }

    @Test
    void rejectsMismatchedBuffers() {
        EchoCanceller ec = new EchoCanceller(16);
        assertThatThrownBy(() -> ec.process(new short[FRAME], new short[FRAME - 1], new short[FRAME]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- allocation

    @Test
    void processDoesNotAllocate() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(mx.isThreadAllocatedMemorySupported()).isTrue();
        mx.setThreadAllocatedMemoryEnabled(true);

        int n = 2 * FS;
        short[] far = speechLike(15, n, FAR_DBFS);
        double[] echo = echo(far, echoPath(far, 27, 56, 256, 8.0), null, n);
        short[] near = mix(n, echo, noise(36, n, NOISE_DBFS));
        short[][] farFrames = frames(far);
        short[][] nearFrames = frames(near);
        short[] out = new short[FRAME];
        EchoCanceller ec = new EchoCanceller(32);
        for (int i = 0; i < 3000; i++) { // warm-up, let the JIT settle
            ec.process(farFrames[i % farFrames.length], nearFrames[i % nearFrames.length], out);
        }
        long tid = Thread.currentThread().getId();
        mx.getThreadAllocatedBytes(tid);
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            ec.process(farFrames[i % farFrames.length], nearFrames[i % nearFrames.length], out);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).isZero();
    }

    // ================================================================ simulation helpers

    /**
     * Speech-like signal: Gaussian noise through a 2-pole resonance (~700 Hz, like a vowel formant), modulated by
     * syllables of 120-280 ms (15 ms ramps, random level) separated by 40-160 ms pauses 50 dB down.
     * {@code activeDbfs} is the RMS during a full-level syllable.
     */
    static short[] speechLike(long seed, int n, double activeDbfs) {
        Random r = new Random(seed);
        double[] c = new double[n];
        double y1 = 0, y2 = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            double y = r.nextGaussian() + 1.3 * y1 - 0.6 * y2;
            y2 = y1;
            y1 = y;
            c[i] = y;
            sum += y * y;
        }
        double scale = FULL_SCALE * Math.pow(10, activeDbfs / 20) / Math.sqrt(sum / n);
        short[] s = new short[n];
        int i = 0;
        int ramp = 120;
        while (i < n) {
            int syllable = (int) (FS * (0.12 + 0.16 * r.nextDouble()));
            double amp = 0.5 + 0.5 * r.nextDouble();
            for (int t = 0; t < syllable && i < n; t++, i++) {
                double env = amp * Math.min(1.0, Math.min((double) t / ramp, (double) (syllable - t) / ramp));
                s[i] = clip(c[i] * scale * Math.max(env, 0.003));
            }
            int gap = (int) (FS * (0.04 + 0.12 * r.nextDouble()));
            for (int t = 0; t < gap && i < n; t++, i++) {
                s[i] = clip(c[i] * scale * 0.003);
            }
        }
        return s;
    }

    /**
     * Hybrid-like impulse response of {@code length} taps: {@code delay} samples of flat delay, then a damped
     * oscillation (sign-varying) with some random dispersion, decaying ~45 dB by the end; scaled to the ERL.
     */
    static double[] echoPath(long seed, int delay, int length, double erlDb) {
        Random r = new Random(seed);
        double[] h = new double[length];
        double f = 400 + 800 * r.nextDouble();
        double phase = 2 * Math.PI * r.nextDouble();
        double tau = (length - delay) / 5.0;
        double energy = 0;
        for (int k = delay; k < length; k++) {
            int t = k - delay;
            double rise = Math.min(1.0, t / 6.0);
            h[k] = rise * Math.exp(-t / tau) * (Math.sin(2 * Math.PI * f * t / FS + phase) + 0.4 * r.nextGaussian());
            energy += h[k] * h[k];
        }
        double g = Math.sqrt(Math.pow(10, -erlDb / 10) / energy);
        for (int k = 0; k < length; k++) {
            h[k] *= g;
        }
        return h;
    }

    /** {@link #echoPath} rescaled so that the ERL measured on this very far signal is {@code erlDb}. */
    static double[] echoPath(short[] far, long seed, int delay, int length, double erlDb) {
        double[] h = echoPath(seed, delay, length, erlDb);
        double[] e = echo(far, h, null, far.length);
        double g = Math.sqrt(power(e, 0, far.length) / power(far, 0, far.length) * Math.pow(10, erlDb / 10));
        for (int k = 0; k < length; k++) {
            h[k] /= g;
        }
        return h;
    }

    /** Echo of {@code far}: through {@code h1}, or through {@code h2} from sample {@code change} on. */
    static double[] echo(short[] far, double[] h1, double[] h2, int change) {
        double[] e = new double[far.length];
        for (int i = 0; i < far.length; i++) {
            double[] h = h2 != null && i >= change ? h2 : h1;
            double acc = 0;
            for (int k = 0; k < h.length && k <= i; k++) {
                acc += h[k] * far[i - k];
            }
            e[i] = acc;
        }
        return e;
    }

    static double[] noise(long seed, int n, double dbfs) {
        Random r = new Random(seed);
        double rms = FULL_SCALE * Math.pow(10, dbfs / 20);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * rms;
        }
        return v;
    }

    static short[] mix(int n, double[]... parts) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (double[] p : parts) {
                acc += p[i];
            }
            s[i] = clip(acc);
        }
        return s;
    }

    static short clip(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    /** Runs whole frames from sample {@code from} (frame aligned) to {@code to}, writing into {@code out}. */
    static void run(EchoCanceller ec, short[] far, short[] near, short[] out, int from, int to) {
        short[] f = new short[FRAME];
        short[] d = new short[FRAME];
        short[] o = new short[FRAME];
        for (int i = from; i + FRAME <= to; i += FRAME) {
            System.arraycopy(far, i, f, 0, FRAME);
            System.arraycopy(near, i, d, 0, FRAME);
            ec.process(f, d, o);
            System.arraycopy(o, 0, out, i, FRAME);
        }
    }

    /** Processes {@code replay.length} samples starting at {@code at} into {@code replay}. */
    static void runInto(EchoCanceller ec, short[] far, short[] near, short[] replay, int at) {
        short[] out = new short[at + replay.length];
        run(ec, far, near, out, at, at + replay.length);
        System.arraycopy(out, at, replay, 0, replay.length);
    }

    /** Start of the first 40 ms at or after {@code from} (frame aligned) where the echo is loud throughout. */
    static int loudFrameStart(short[] far, int from) {
        double threshold = FULL_SCALE * Math.pow(10, (FAR_DBFS - 6) / 20);
        for (int i = from; i + 3 * FRAME < far.length; i += FRAME) {
            if (Math.sqrt(power(far, i - FRAME, i + 2 * FRAME)) > threshold) {
                return i;
            }
        }
        throw new AssertionError("no loud stretch");
    }

    static short[][] frames(short[] s) {
        short[][] f = new short[s.length / FRAME][FRAME];
        for (int i = 0; i < f.length; i++) {
            System.arraycopy(s, i * FRAME, f[i], 0, FRAME);
        }
        return f;
    }

    static double power(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return s / (to - from);
    }

    static double power(short[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s / (to - from);
    }

    /** ERLE over [from, to): echo power over output power (output includes the line noise). */
    static double erleDb(double[] echo, short[] out, int from, int to) {
        return 10 * Math.log10(power(echo, from, to) / power(out, from, to));
    }

    /** ERLE of a replayed stretch starting at {@code at}. */
    static double erleDb(double[] echo, short[] replay, int at) {
        return 10 * Math.log10(power(echo, at, at + replay.length) / power(replay, 0, replay.length));
    }

    static double correlation(short[] a, double[] b, int from, int to) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = from; i < to; i++) {
            ab += a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
