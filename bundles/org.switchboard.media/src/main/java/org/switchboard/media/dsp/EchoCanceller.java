package org.switchboard.media.dsp;

import java.util.Arrays;

/**
 * Line echo canceller (G.168 style) for analog lines and E1 hybrids, 8 kHz 16-bit linear PCM.
 *
 * <p>Structure: a "two-path" NLMS canceller. A <em>background</em> filter adapts continuously (NLMS over the
 * whole tail, one tap per sample of tail); a <em>foreground</em> filter, which produces the output, never adapts
 * and is only overwritten by the background when the background has proved, over whole 20 ms blocks of far-end
 * activity without double talk, that it cancels clearly better. Why two paths: a double-talk detector always
 * reacts a few samples late and misses soft near speech; with a single filter those misses pull the
 * coefficients away and ERLE collapses right after double talk. Here such damage stays in the background, the
 * output keeps the last good filter, and a real echo-path change still gets through because the background then
 * wins the comparison.
 *
 * <p>A Geigel double-talk detector with hangover freezes the background while the near end talks. It tests the
 * near sample <em>and</em> the foreground error against half of the recent far peak, so a converged canceller
 * does not mistake a loud echo (ERL below 6 dB) for double talk.
 *
 * <p>NLMS normalisation is regularised with a term proportional to the tracked line-noise floor: adaptation
 * slows down when the far signal is so quiet that its echo would be buried in noise (which would only add
 * misadjustment) and there is never a division by ~0 during silence.
 *
 * <p>Both inputs pass through the same DC blocker (the echo path is linear, so filtering both sides keeps the
 * relation between them exact while removing any ADC offset from the output). There is no non-linear processor:
 * nothing ever clips or gates double talk.
 *
 * <p>Threading: {@link #process} and {@link #reset} belong to the media thread; {@link #stats} may be called
 * from any thread (it reads a few volatile fields, possibly one block apart from each other).
 */
public final class EchoCanceller {

    private static final int MIN_TAIL_MS = 8;
    private static final int MAX_TAIL_MS = 128;
    private static final int SAMPLES_PER_MS = 8;
    /** Decision / statistics block: 20 ms, one frame of the media clock. */
    private static final int BLOCK = 160;

    /** Background NLMS step: fast enough to converge in about a second on speech, small misadjustment. */
    private static final float MU = 0.7f;
    /** Regularisation = NOISE_MARGIN * taps * noise power: half-speed adaptation when far power is 20 dB above line noise. */
    private static final double NOISE_MARGIN = 100.0;
    /** Lowest assumed noise power (about -90 dBFS), so regularisation is never zero. */
    private static final double NOISE_MIN = 1.0;
    /** Initial noise power guess (about -60 dBFS, a typical idle line); corrected by minimum tracking. */
    private static final double NOISE_INIT = 1000.0;
    /** Rise of the minimum-tracking noise floor per block: about 3 dB/s, slow enough to ignore speech. */
    private static final double NOISE_RISE = 1.0139;

    /** Geigel threshold: near end louder than half the far peak cannot be echo of a line with ERL >= 6 dB. */
    private static final float GEIGEL = 0.5f;
    /** Double-talk hangover, 50 ms: covers the short pauses inside near-end speech. */
    private static final int HANGOVER = 400;
    /** Far-end peak below which (about -54 dBFS) Geigel is not applied: no far talk means no double talk. */
    private static final float FAR_MIN_PEAK = 64f;
    /** Block RMS of the far end (about -50 dBFS) that counts as far activity for decisions and statistics. */
    private static final double FAR_ACTIVE_POWER = 100.0 * 100.0;
    /** Near samples below this many noise RMS (about 15 dB above the floor) are never taken for double talk. */
    private static final double NOISE_PEAK = 6.0;
    /** Sub-block length for the running far-peak window (peak over tail + up to this many samples). */
    private static final int PEAK_SUB = 8;

    /** Background must beat foreground by about 1 dB ... */
    private static final double TRANSFER_RATIO = 0.8;
    /**
     * ... and must itself remove at least 12 dB (or be within 6 dB of the noise floor). Why: during double talk the
     * detector missed, a fast NLMS can briefly "explain" part of the near speech with the far signal and look
     * better than the foreground; it can never look like a deep canceller while someone talks.
     */
    private static final double TRANSFER_DEPTH = 1.0 / 16;
    private static final double TRANSFER_NOISE = 4.0;
    /** ... in this many consecutive clean blocks before it is copied to the foreground. */
    private static final int TRANSFER_BLOCKS = 2;
    /** Background worse than foreground by 6 dB ... */
    private static final double DIVERGED_RATIO = 4.0;
    /** ... for this many far-active blocks means it diverged (missed double talk): restart it from the foreground. */
    private static final int DIVERGED_BLOCKS = 3;

    /** DC blocker pole: cut-off about 6 Hz. */
    private static final float DC_POLE = 0.995f;
    /** Values below this are flushed to zero so decaying filter states never become (slow) subnormals. */
    private static final float FLUSH = 1e-9f;

    /** Smoothing of the ERLE powers per far-active block: time constant 0.5 s (one bad block weighs a lot). */
    private static final double ERLE_SMOOTH = 0.96;
    private static final double CONVERGED_DB = 20.0;
    private static final double UNCONVERGED_DB = 12.0;

    private final int taps;
    /** Far-end history, written twice (i and i + taps) so the newest-first window is always contiguous. */
    private final float[] hist;
    private int pos;
    private final float[] wFg;
    private final float[] wBg;

    private float farPrevIn;
    private float farPrevOut;
    private float nearPrevIn;
    private float nearPrevOut;

    private final float[] peakRing;
    private int peakIdx;
    private int peakCount;
    private float peakCur;
    private float peakWindow;
    private int hangover;

    private int blockFill;
    private double blockNear;
    private double blockFgErr;
    private double blockBgErr;
    private double blockFar;
    private boolean blockDoubleTalk;
    private int betterRun;
    private int worseRun;
    private double noisePower = NOISE_INIT;
    /** Geigel floor: line-noise peaks must never count as near speech. */
    private float noiseThreshold = (float) (NOISE_PEAK * Math.sqrt(NOISE_INIT));
    private boolean pendingValid;
    private double pendingNear;
    private double pendingErr;
    private double smoothNear;
    private double smoothErr;

    private volatile long frames;
    private volatile long doubleTalkFrames;
    private volatile double erleDb;
    private volatile boolean converged;

    /** @param tailMillis echo tail to cover, 8..128 ms (IllegalArgumentException naming the allowed range otherwise) */
    public EchoCanceller(int tailMillis) {
        if (tailMillis < MIN_TAIL_MS || tailMillis > MAX_TAIL_MS) {
            throw new IllegalArgumentException(
                    "tailMillis must be in " + MIN_TAIL_MS + ".." + MAX_TAIL_MS + " ms, was " + tailMillis);
        }
        taps = tailMillis * SAMPLES_PER_MS;
        hist = new float[2 * taps];
        wFg = new float[taps];
        wBg = new float[taps];
        peakRing = new float[taps / PEAK_SUB];
    }

    /** Number of adaptive filter taps (tail in ms times 8). */
    public int taps() {
        return taps;
    }

    /**
     * One 20 ms frame (160 samples, 16-bit linear PCM, 8 kHz). {@code far} is what the box sent to the line
     * this tick (the reference), {@code near} what it heard back (caller's speech plus echo of far).
     * Writes the near-end with the echo removed into {@code out} (may be the same array as near).
     * No allocation, no locks: it runs on the media clock thread, hundreds of times per tick.
     */
    public void process(short[] far, short[] near, short[] out) {
        int n = near.length;
        if (far.length != n || out.length < n) {
            throw new IllegalArgumentException("far and near must have the same length, out at least that length");
        }
        final int taps = this.taps;
        final float[] hist = this.hist;
        final float[] wFg = this.wFg;
        final float[] wBg = this.wBg;
        double energy = windowEnergy();
        final float reg = (float) (NOISE_MARGIN * taps * noisePower);
        int p = pos;
        for (int i = 0; i < n; i++) {
            // Read both inputs before writing: out may alias near (or far).
            float xf = dcFar(far[i]);
            float d = dcNear(near[i]);

            p = (p == 0 ? taps : p) - 1;
            float leaving = hist[p];
            energy += (double) xf * xf - (double) leaving * leaving;
            if (energy < 0) {
                energy = 0;
            }
            hist[p] = xf;
            hist[p + taps] = xf;

            // Both filters in one pass over the window; four partial sums each for instruction-level parallelism.
            float f0 = 0, f1 = 0, f2 = 0, f3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            for (int k = 0, j = p; k < taps; k += 4, j += 4) {
                float x0 = hist[j], x1 = hist[j + 1], x2 = hist[j + 2], x3 = hist[j + 3];
                f0 += wFg[k] * x0;
                f1 += wFg[k + 1] * x1;
                f2 += wFg[k + 2] * x2;
                f3 += wFg[k + 3] * x3;
                b0 += wBg[k] * x0;
                b1 += wBg[k + 1] * x1;
                b2 += wBg[k + 2] * x2;
                b3 += wBg[k + 3] * x3;
            }
            float eFg = d - ((f0 + f1) + (f2 + f3));
            float eBg = d - ((b0 + b1) + (b2 + b3));

            boolean doubleTalk = geigel(xf, d, eFg);

            // Freeze the background during double talk; skip the update when the step would be negligible.
            if (!doubleTalk && energy > 0.01 * reg) {
                float g = (float) (MU * eBg / (energy + reg));
                for (int k = 0, j = p; k < taps; k++, j++) {
                    wBg[k] += g * hist[j];
                }
            }

            int s = Math.round(eFg);
            out[i] = (short) (s > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(s, Short.MIN_VALUE));

            blockNear += (double) d * d;
            blockFgErr += (double) eFg * eFg;
            blockBgErr += (double) eBg * eBg;
            blockFar += (double) xf * xf;
            blockDoubleTalk |= doubleTalk;
            if (++blockFill == BLOCK) {
                endBlock();
            }
        }
        pos = p;
    }

    /** Exact energy of the far window, recomputed once per call so the running update cannot drift. */
    private double windowEnergy() {
        double e = 0;
        for (int k = pos, end = pos + taps; k < end; k++) {
            e += (double) hist[k] * hist[k];
        }
        return e;
    }

    private float dcFar(short in) {
        float y = in - farPrevIn + DC_POLE * farPrevOut;
        if (Math.abs(y) < FLUSH) {
            y = 0f;
        }
        farPrevIn = in;
        farPrevOut = y;
        return y;
    }

    private float dcNear(short in) {
        float y = in - nearPrevIn + DC_POLE * nearPrevOut;
        if (Math.abs(y) < FLUSH) {
            y = 0f;
        }
        nearPrevIn = in;
        nearPrevOut = y;
        return y;
    }

    /** Geigel detector over the far peak of the last tail (+ a sub-block), with hangover. */
    private boolean geigel(float xf, float d, float eFg) {
        float ax = Math.abs(xf);
        if (ax > peakCur) {
            peakCur = ax;
        }
        if (++peakCount == PEAK_SUB) {
            peakRing[peakIdx] = peakCur;
            peakIdx = peakIdx + 1 == peakRing.length ? 0 : peakIdx + 1;
            peakCount = 0;
            peakCur = 0f;
            float m = 0f;
            for (float v : peakRing) {
                m = Math.max(m, v);
            }
            peakWindow = m;
        }
        float farPeak = Math.max(peakWindow, peakCur);
        float threshold = Math.max(GEIGEL * farPeak, noiseThreshold);
        if (farPeak > FAR_MIN_PEAK && Math.abs(d) > threshold && Math.abs(eFg) > threshold) {
            hangover = HANGOVER;
        } else if (hangover > 0) {
            hangover--;
        }
        return hangover > 0;
    }

    /** Once per 20 ms: foreground/background transfer, divergence guard, noise floor and statistics. */
    private void endBlock() {
        boolean farActive = blockFar > BLOCK * FAR_ACTIVE_POWER;
        if (farActive && !blockDoubleTalk) {
            boolean bgCancels = blockBgErr < TRANSFER_DEPTH * blockNear
                    || blockBgErr < TRANSFER_NOISE * BLOCK * noisePower;
            if (bgCancels && blockBgErr < TRANSFER_RATIO * blockFgErr) {
                if (++betterRun >= TRANSFER_BLOCKS) {
                    System.arraycopy(wBg, 0, wFg, 0, taps);
                    betterRun = 0;
                }
            } else {
                betterRun = 0;
            }
            if (pendingValid) {
                updateErle(pendingNear, pendingErr);
            }
            // This block only counts once the next one is also clean: the detector fires a few ms into near speech,
            // so the block before a double-talk block is often already polluted by it.
            pendingValid = true;
            pendingNear = blockNear;
            pendingErr = blockFgErr;
        } else {
            betterRun = 0;
            pendingValid = false;
        }
        if (farActive && blockBgErr > DIVERGED_RATIO * blockFgErr && blockFgErr < blockNear) {
            if (++worseRun >= DIVERGED_BLOCKS) {
                System.arraycopy(wFg, 0, wBg, 0, taps);
                worseRun = 0;
            }
        } else {
            worseRun = 0;
        }
        // Minimum tracking of the output power: drops at once, rises slowly, so speech and echo bursts are ignored.
        double outPower = blockFgErr / BLOCK;
        noisePower = Math.max(NOISE_MIN, Math.min(outPower, noisePower * NOISE_RISE));
        noiseThreshold = (float) (NOISE_PEAK * Math.sqrt(noisePower));

        if (blockDoubleTalk) {
            doubleTalkFrames = doubleTalkFrames + 1;
        }
        frames = frames + 1;
        blockFill = 0;
        blockNear = 0;
        blockFgErr = 0;
        blockBgErr = 0;
        blockFar = 0;
        blockDoubleTalk = false;
    }

    private void updateErle(double near, double err) {
        smoothNear = ERLE_SMOOTH * smoothNear + (1 - ERLE_SMOOTH) * near;
        smoothErr = ERLE_SMOOTH * smoothErr + (1 - ERLE_SMOOTH) * err;
        if (smoothNear > 0 && smoothErr > 0) {
            double erle = 10 * Math.log10(smoothNear / smoothErr);
            erleDb = erle;
            if (erle >= CONVERGED_DB) {
                converged = true;
            } else if (erle < UNCONVERGED_DB) {
                converged = false;
            }
        }
    }

    /** Forget the adaptation (new call on the line). */
    public void reset() {
        Arrays.fill(hist, 0f);
        Arrays.fill(wFg, 0f);
        Arrays.fill(wBg, 0f);
        Arrays.fill(peakRing, 0f);
        pos = 0;
        farPrevIn = farPrevOut = nearPrevIn = nearPrevOut = 0f;
        peakIdx = peakCount = 0;
        peakCur = peakWindow = 0f;
        hangover = 0;
        blockFill = 0;
        blockNear = blockFgErr = blockBgErr = blockFar = 0;
        blockDoubleTalk = false;
        betterRun = worseRun = 0;
        noisePower = NOISE_INIT;
        noiseThreshold = (float) (NOISE_PEAK * Math.sqrt(NOISE_INIT));
        pendingValid = false;
        pendingNear = pendingErr = 0;
        smoothNear = smoothErr = 0;
        frames = 0;
        doubleTalkFrames = 0;
        erleDb = 0;
        converged = false;
    }

    /** Figures for the shell: estimated ERLE in dB (smoothed), whether it is converged, frames in double talk, etc. */
    public Stats stats() {
        return new Stats(erleDb, converged, frames, doubleTalkFrames);
    }

    /**
     * @param erleDb smoothed echo return loss enhancement (near-in over out power, far-only 20 ms blocks)
     * @param converged ERLE has reached 20 dB (and not fallen below 12 dB since)
     * @param frames 20 ms blocks processed since construction or reset
     * @param doubleTalkFrames blocks in which the double-talk detector (including hangover) fired
     */
    public record Stats(double erleDb, boolean converged, long frames, long doubleTalkFrames) {}
}
