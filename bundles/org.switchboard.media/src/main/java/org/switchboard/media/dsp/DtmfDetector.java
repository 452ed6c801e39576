package org.switchboard.media.dsp;

import java.util.Objects;

/**
 * In-band DTMF receiver (ITU-T Q.23 frequencies, Q.24-style acceptance limits) for 8 kHz 16-bit
 * linear PCM.
 *
 * <h2>How it works</h2>
 * <ul>
 *   <li>Audio is cut into blocks of {@value #BLOCK} samples (12.75 ms), independent of the 20 ms frame
 *       boundaries. 102 samples puts every DTMF frequency near a bin centre and neighbouring frequencies
 *       of a group near nulls, while keeping blocks short enough for 40 ms tones.</li>
 *   <li>For each of the 8 frequencies, single-bin DFTs (what Goertzel computes; here from precomputed
 *       twiddle tables so the complex value, not only the power, is available) are taken over the block
 *       with a rectangular window, over each half block, and with a Hann window:
 *       <ul>
 *         <li>rectangular: picks the strongest tone of each group and checks it stands out from its
 *             neighbours (which sit near the rectangular window's nulls); its amplitude is linear in
 *             the part of the block the tone covers, which is used to measure duration;</li>
 *         <li>Hann: level, twist and the share of block energy in the two tones. Its low far
 *             sidelobes stop a strong low tone leaking into the weak high tone's bin (with the
 *             rectangular window that alone moves the measured twist by ±2 dB);</li>
 *         <li>phase advance from the first to the second half block: a coarse but unambiguous (±78 Hz)
 *             frequency estimate; phase advance from one block to the next: a fine estimate
 *             (ambiguous every 78 Hz, unwrapped with the coarse one). Energy alone cannot tell a 1.5 %
 *             from a 3.5 % error: both fall well inside a 78 Hz wide bin.</li>
 *       </ul></li>
 *   <li>A block is <em>valid</em> for a digit when both tones are above -30 dBm0, the measured twist
 *       is between +6 and -10 dB (Q.24's +4/-8 dB plus measurement margin), each tone exceeds the others
 *       of its group by 4 dB, the two tones carry at least 80 % of the block's energy (speech spreads its
 *       energy over many harmonics and formants, a DTMF pair does not), the coarse frequency error is
 *       under 4.5 %, and, within a digit, neither tone's level moved by more than 2.5 dB since the
 *       previous valid block (a sender holds its level; speech that passes for a moment does not).</li>
 *   <li>A digit is reported when it had at least two valid blocks, lasted at least 40 ms, and its fine
 *       frequency error, averaged over the whole tone, is within 2.5 % for both tones (midway between the
 *       1.5 % that must be accepted and the 3.5 % that must be rejected).</li>
 *   <li>Duration: blocks wholly covered by the tone (Hann level within 3 % of the tone's maximum) count
 *       one; the partly covered edge blocks count by their rectangular amplitude relative to the whole
 *       blocks', which is proportional to the part of the block the tone covers. The result is much
 *       finer than a block (typically within ±4 ms), which is what separates 35 ms from 45 ms tones.</li>
 *   <li>Once a digit has started a weaker "hold" test keeps it alive, and one failing block is
 *       tolerated, so a short dropout does not turn one key press into two. Two failing blocks in a row
 *       end it; a 40 ms pause always contains two whole blocks of silence.</li>
 * </ul>
 *
 * <p>Not thread-safe; use one instance per media stream. {@link #process} does not allocate.
 */
public final class DtmfDetector {

    /** Receives detected digits, on the thread calling {@link #process}. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param digit      one of {@code 0-9 * # A B C D}
         * @param durationMs how long the key lasted; 1000 when reported because it was held 1 s
         */
        void onDigit(char digit, int durationMs);
    }

    static final int SAMPLE_RATE = 8000;
    /** Analysis block in samples (12.75 ms). */
    static final int BLOCK = 102;
    private static final int HALF = BLOCK / 2;

    private static final double[] FREQ = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
    private static final char[] KEYS = {
        '1', '2', '3', 'A',
        '4', '5', '6', 'B',
        '7', '8', '9', 'C',
        '*', '0', '#', 'D'};

    /** Weakest tone accepted; -26 dBm0 must pass with margin for noise and off-frequency loss. */
    private static final double MIN_AMPLITUDE = Dbm0.peakAmplitude(-30.0);
    /** High group may be up to 6 dB stronger (energy ratio): Q.24's +4 dB plus measurement margin. */
    private static final double MAX_REVERSE_TWIST = Math.pow(10.0, 6.0 / 10.0);
    /** Low group may be up to 10 dB stronger (energy ratio): Q.24's 8 dB plus measurement margin. */
    private static final double MAX_NORMAL_TWIST = Math.pow(10.0, 10.0 / 10.0);
    /** Each tone must exceed the other tones of its group by 4 dB (energy ratio). */
    private static final double RELATIVE_PEAK = Math.pow(10.0, 4.0 / 10.0);
    /** Share of the block's (Hann-windowed) energy the two tones must carry in a valid block. */
    private static final double TONE_TO_TOTAL = 0.80;
    /** Share required to keep an already started digit alive (partly covered blocks). */
    private static final double HOLD_TONE_TO_TOTAL = 0.30;
    /** Amplitude, relative to the digit's full amplitude, that keeps a started digit alive. */
    private static final double HOLD_FRACTION = 0.40;
    /** Per-block coarse frequency tolerance (relative); a loose gate, the real test is on the whole tone. */
    private static final double BLOCK_FREQ_TOLERANCE = 0.045;
    /** Tolerance of the fine frequency error averaged over the whole tone (relative). */
    private static final double DIGIT_FREQ_TOLERANCE = 0.025;
    private static final int MIN_DURATION_SAMPLES = 40 * SAMPLE_RATE / 1000;
    private static final int MAX_HOLD_SAMPLES = SAMPLE_RATE;
    /** Enough blocks to measure a 1 s tone plus its edge blocks. */
    private static final int MAX_RUN_BLOCKS = MAX_HOLD_SAMPLES / BLOCK + 8;

    /** Rectangular twiddles cos/sin(2π f m / fs) for one half block, index k * HALF + m. */
    private static final double[] COS = new double[FREQ.length * HALF];
    private static final double[] SIN = new double[FREQ.length * HALF];
    /** Hann-windowed twiddles w(n)·cos/sin(2π f n / fs), index k * BLOCK + n. */
    private static final double[] HANN_COS = new double[FREQ.length * BLOCK];
    private static final double[] HANN_SIN = new double[FREQ.length * BLOCK];
    /** Squared Hann window, for the windowed block energy. */
    private static final double[] HANN_SQ = new double[BLOCK];
    private static final double HANN_SUM;
    private static final double HANN_SQ_SUM;
    /** Rotation by half a block and by a whole block at each nominal frequency. */
    private static final double[] HALF_COS = new double[FREQ.length];
    private static final double[] HALF_SIN = new double[FREQ.length];
    private static final double[] BLOCK_COS = new double[FREQ.length];
    private static final double[] BLOCK_SIN = new double[FREQ.length];
    /** Hz of frequency error per radian of extra phase advance over half a block / a whole block. */
    private static final double HZ_PER_RADIAN_HALF = SAMPLE_RATE / (2.0 * Math.PI * HALF);
    private static final double HZ_PER_RADIAN_BLOCK = SAMPLE_RATE / (2.0 * Math.PI * BLOCK);
    /** Frequency error at which the block-to-block phase advance wraps around (78.4 Hz). */
    private static final double BLOCK_ALIAS_HZ = (double) SAMPLE_RATE / BLOCK;
    /** Blocks at least this close to the strongest one count as wholly covered by the tone. */
    private static final double FULL_BLOCK = 0.97;
    /** How much more than the weaker tone's coverage a block may be credited with. */
    private static final double LINGER_MARGIN = 0.3;
    /** Largest level change (amplitude ratio, 2.5 dB) between consecutive valid blocks of one digit. */
    private static final double MAX_STEP = Math.pow(10.0, 2.5 / 20.0);

    static {
        double sum = 0.0;
        double sqSum = 0.0;
        for (int n = 0; n < BLOCK; n++) {
            double w = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * (n + 0.5) / BLOCK);
            HANN_SQ[n] = w * w;
            sum += w;
            sqSum += w * w;
            for (int k = 0; k < FREQ.length; k++) {
                double ph = 2.0 * Math.PI * FREQ[k] * n / SAMPLE_RATE;
                HANN_COS[k * BLOCK + n] = w * Math.cos(ph);
                HANN_SIN[k * BLOCK + n] = w * Math.sin(ph);
            }
        }
        HANN_SUM = sum;
        HANN_SQ_SUM = sqSum;
        for (int k = 0; k < FREQ.length; k++) {
            double w = 2.0 * Math.PI * FREQ[k] / SAMPLE_RATE;
            for (int m = 0; m < HALF; m++) {
                COS[k * HALF + m] = Math.cos(w * m);
                SIN[k * HALF + m] = Math.sin(w * m);
            }
            HALF_COS[k] = Math.cos(w * HALF);
            HALF_SIN[k] = Math.sin(w * HALF);
            BLOCK_COS[k] = Math.cos(w * BLOCK);
            BLOCK_SIN[k] = Math.sin(w * BLOCK);
        }
    }

    private final Listener listener;

    // Accumulators of the block being filled.
    private final double[] reA = new double[FREQ.length];
    private final double[] imA = new double[FREQ.length];
    private final double[] reB = new double[FREQ.length];
    private final double[] imB = new double[FREQ.length];
    private final double[] reH = new double[FREQ.length];
    private final double[] imH = new double[FREQ.length];
    private double hannEnergy;
    private int pos;

    // Results of the last complete block, and of the two before it.
    private final double[] amp = new double[FREQ.length];
    private final double[] hannAmp = new double[FREQ.length];
    private final double[] xRe = new double[FREQ.length];
    private final double[] xIm = new double[FREQ.length];
    private final double[] halfRe = new double[FREQ.length];
    private final double[] halfIm = new double[FREQ.length];
    private final double[] stepRe = new double[FREQ.length];
    private final double[] stepIm = new double[FREQ.length];
    private final double[] prevAmp = new double[FREQ.length];
    private final double[] prevAmp2 = new double[FREQ.length];
    private final double[] prevHannAmp = new double[FREQ.length];
    private final double[] prevHannAmp2 = new double[FREQ.length];
    private final double[] prevXRe = new double[FREQ.length];
    private final double[] prevXIm = new double[FREQ.length];

    // The digit being received ("run").
    private int runDigit = -1;
    private int runRow;
    private int runCol;
    private int validBlocks;
    private int missBlocks;
    private int runBlocks;
    private int overflowBlocks;
    private boolean reported;
    private boolean lastBlockInRun;
    private double refRow;
    private double refCol;
    private double lastValidRow;
    private double lastValidCol;
    private double halfRowRe;
    private double halfRowIm;
    private double halfColRe;
    private double halfColIm;
    private int stepPairs;
    private double stepRowRe;
    private double stepRowIm;
    private double stepColRe;
    private double stepColIm;
    /** Rectangular amplitudes of the run's blocks; [0] and [1] are the two blocks before it started. */
    private final double[] runRectRow = new double[MAX_RUN_BLOCKS];
    private final double[] runRectCol = new double[MAX_RUN_BLOCKS];
    private final double[] runHann = new double[MAX_RUN_BLOCKS];

    private long digitsDetected;
    private long rejected;

    public DtmfDetector(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Feeds one frame (normally 20 ms = 160 samples; any length works because blocks are buffered
     * across frame edges). Calls the listener when a key has ended, or once when it has been held 1 s.
     * Does not allocate.
     */
    public void process(short[] frame) {
        for (int i = 0; i < frame.length; i++) {
            double x = frame[i];
            hannEnergy += x * x * HANN_SQ[pos];
            for (int k = 0, t = pos; k < FREQ.length; k++, t += BLOCK) {
                reH[k] += x * HANN_COS[t];
                imH[k] -= x * HANN_SIN[t];
            }
            if (pos < HALF) {
                for (int k = 0, t = pos; k < FREQ.length; k++, t += HALF) {
                    reA[k] += x * COS[t];
                    imA[k] -= x * SIN[t];
                }
            } else {
                for (int k = 0, t = pos - HALF; k < FREQ.length; k++, t += HALF) {
                    reB[k] += x * COS[t];
                    imB[k] -= x * SIN[t];
                }
            }
            if (++pos == BLOCK) {
                analyseBlock();
                clearAccumulators();
            }
        }
    }

    /** Forgets any partial block and any tone in progress (without reporting it); counters are kept. */
    public void reset() {
        clearAccumulators();
        for (int k = 0; k < FREQ.length; k++) {
            prevAmp[k] = 0.0;
            prevAmp2[k] = 0.0;
            prevHannAmp[k] = 0.0;
            prevHannAmp2[k] = 0.0;
            prevXRe[k] = 0.0;
            prevXIm[k] = 0.0;
        }
        runDigit = -1;
    }

    /** Number of digits reported to the listener. */
    public long digitsDetected() {
        return digitsDetected;
    }

    /**
     * Number of DTMF-like candidates (at least one valid block) that were not reported because they
     * were too short, off frequency or unstable.
     */
    public long rejected() {
        return rejected;
    }

    private void clearAccumulators() {
        pos = 0;
        hannEnergy = 0.0;
        for (int k = 0; k < FREQ.length; k++) {
            reA[k] = 0.0;
            imA[k] = 0.0;
            reB[k] = 0.0;
            imB[k] = 0.0;
            reH[k] = 0.0;
            imH[k] = 0.0;
        }
    }

    private void analyseBlock() {
        for (int k = 0; k < FREQ.length; k++) {
            double c = HALF_COS[k];
            double s = HALF_SIN[k];
            // Whole block: X = A + B·e^{-jωH} (B was referenced to its own start).
            double xr = reA[k] + reB[k] * c + imB[k] * s;
            double xi = imA[k] + imB[k] * c - reB[k] * s;
            xRe[k] = xr;
            xIm[k] = xi;
            amp[k] = 2.0 * Math.sqrt(xr * xr + xi * xi) / BLOCK;
            hannAmp[k] = 2.0 * Math.sqrt(reH[k] * reH[k] + imH[k] * imH[k]) / HANN_SUM;
            // B·conj(A)·e^{-jωH}: its angle is the extra phase advance caused by a frequency error.
            double pr = reB[k] * reA[k] + imB[k] * imA[k];
            double pi = imB[k] * reA[k] - reB[k] * imA[k];
            halfRe[k] = pr * c + pi * s;
            halfIm[k] = pi * c - pr * s;
            // X·conj(Xprev)·e^{-jωN}: the same over a whole block, twice the baseline and narrower bins.
            double qr = xr * prevXRe[k] + xi * prevXIm[k];
            double qi = xi * prevXRe[k] - xr * prevXIm[k];
            stepRe[k] = qr * BLOCK_COS[k] + qi * BLOCK_SIN[k];
            stepIm[k] = qi * BLOCK_COS[k] - qr * BLOCK_SIN[k];
        }
        int row = 0;
        for (int k = 1; k < 4; k++) {
            if (amp[k] > amp[row]) {
                row = k;
            }
        }
        int col = 4;
        for (int k = 5; k < 8; k++) {
            if (amp[k] > amp[col]) {
                col = k;
            }
        }
        int valid = isValid(row, col) ? (row * 4 + col - 4) : -1;

        if (runDigit < 0) {
            if (valid >= 0) {
                startRun(valid, row, col);
            }
        } else if (valid == runDigit || holds(row, col)) {
            missBlocks = 0;
            appendBlock(valid == runDigit && steady());
        } else if (valid >= 0) {
            appendTail(); // partly covered last block of the old digit
            finishRun();
            startRun(valid, row, col);
        } else if (++missBlocks == 1) {
            appendTail(); // the tail of the tone, or a dropout
        } else {
            finishRun();
        }

        if (runDigit >= 0 && !reported && validBlocks >= 2
                && (runBlocks + overflowBlocks) * BLOCK >= MAX_HOLD_SAMPLES && frequencyOk()) {
            int samples = durationSamples();
            if (samples >= MAX_HOLD_SAMPLES) {
                report(samples);
                reported = true;
            }
        }
        System.arraycopy(prevAmp, 0, prevAmp2, 0, FREQ.length);
        System.arraycopy(amp, 0, prevAmp, 0, FREQ.length);
        System.arraycopy(prevHannAmp, 0, prevHannAmp2, 0, FREQ.length);
        System.arraycopy(hannAmp, 0, prevHannAmp, 0, FREQ.length);
        System.arraycopy(xRe, 0, prevXRe, 0, FREQ.length);
        System.arraycopy(xIm, 0, prevXIm, 0, FREQ.length);
    }

    private boolean isValid(int row, int col) {
        double hr = hannAmp[row];
        double hc = hannAmp[col];
        if (hr < MIN_AMPLITUDE || hc < MIN_AMPLITUDE) {
            return false;
        }
        double er = hr * hr;
        double ec = hc * hc;
        if (ec > er * MAX_REVERSE_TWIST || er > ec * MAX_NORMAL_TWIST) {
            return false;
        }
        // Power of the two sines (a²/2 each) against the block's (windowed) mean square.
        if ((er + ec) * 0.5 < TONE_TO_TOTAL * hannEnergy / HANN_SQ_SUM) {
            return false;
        }
        double ar2 = amp[row] * amp[row];
        double ac2 = amp[col] * amp[col];
        for (int k = 0; k < 4; k++) {
            if (k != row && amp[k] * amp[k] * RELATIVE_PEAK > ar2) {
                return false;
            }
        }
        for (int k = 4; k < 8; k++) {
            if (k != col && amp[k] * amp[k] * RELATIVE_PEAK > ac2) {
                return false;
            }
        }
        return Math.abs(coarseError(halfRe[row], halfIm[row])) <= BLOCK_FREQ_TOLERANCE * FREQ[row]
                && Math.abs(coarseError(halfRe[col], halfIm[col])) <= BLOCK_FREQ_TOLERANCE * FREQ[col];
    }

    /** A DTMF sender keeps its level; speech that happens to pass the other tests for a moment does not. */
    private boolean steady() {
        double r = hannAmp[runRow] / lastValidRow;
        double c = hannAmp[runCol] / lastValidCol;
        return r <= MAX_STEP && r >= 1.0 / MAX_STEP && c <= MAX_STEP && c >= 1.0 / MAX_STEP;
    }

    /** Weaker test that keeps a started digit alive through partly covered blocks and dropouts. */
    private boolean holds(int row, int col) {
        if (row != runRow || col != runCol) {
            return false;
        }
        double hr = hannAmp[row];
        double hc = hannAmp[col];
        return hr >= HOLD_FRACTION * refRow && hc >= HOLD_FRACTION * refCol
                && (hr * hr + hc * hc) * 0.5 >= HOLD_TONE_TO_TOTAL * hannEnergy / HANN_SQ_SUM;
    }

    private static double coarseError(double re, double im) {
        return Math.atan2(im, re) * HZ_PER_RADIAN_HALF;
    }

    private void startRun(int digit, int row, int col) {
        runDigit = digit;
        runRow = row;
        runCol = col;
        validBlocks = 0;
        missBlocks = 0;
        overflowBlocks = 0;
        reported = false;
        lastBlockInRun = false;
        refRow = 0.0;
        refCol = 0.0;
        halfRowRe = 0.0;
        halfRowIm = 0.0;
        halfColRe = 0.0;
        halfColIm = 0.0;
        stepPairs = 0;
        stepRowRe = 0.0;
        stepRowIm = 0.0;
        stepColRe = 0.0;
        stepColIm = 0.0;
        // The tone usually started in the block before, or two before if that one was not valid yet.
        runRectRow[0] = prevAmp2[row];
        runRectCol[0] = prevAmp2[col];
        runHann[0] = prevHannAmp2[row] + prevHannAmp2[col];
        runRectRow[1] = prevAmp[row];
        runRectCol[1] = prevAmp[col];
        runHann[1] = prevHannAmp[row] + prevHannAmp[col];
        runBlocks = 2;
        appendBlock(true);
    }

    /** Adds a block that belongs to the tone (valid, or passing the hold test). */
    private void appendBlock(boolean valid) {
        storeAmplitudes();
        if (valid) {
            validBlocks++;
            lastValidRow = hannAmp[runRow];
            lastValidCol = hannAmp[runCol];
            refRow = Math.max(refRow, hannAmp[runRow]);
            refCol = Math.max(refCol, hannAmp[runCol]);
        }
        halfRowRe += halfRe[runRow];
        halfRowIm += halfIm[runRow];
        halfColRe += halfRe[runCol];
        halfColIm += halfIm[runCol];
        if (lastBlockInRun) {
            stepPairs++;
            stepRowRe += stepRe[runRow];
            stepRowIm += stepIm[runRow];
            stepColRe += stepRe[runCol];
            stepColIm += stepIm[runCol];
        }
        lastBlockInRun = true;
    }

    /** Adds a block that failed the tests; it only counts towards the duration. */
    private void appendTail() {
        storeAmplitudes();
        lastBlockInRun = false;
    }

    private void storeAmplitudes() {
        if (runBlocks < MAX_RUN_BLOCKS) {
            runRectRow[runBlocks] = amp[runRow];
            runRectCol[runBlocks] = amp[runCol];
            runHann[runBlocks] = hannAmp[runRow] + hannAmp[runCol];
            runBlocks++;
        } else {
            overflowBlocks++;
        }
    }

    private boolean frequencyOk() {
        return stepPairs > 0
                && Math.abs(fineError(halfRowRe, halfRowIm, stepRowRe, stepRowIm)) <= DIGIT_FREQ_TOLERANCE * FREQ[runRow]
                && Math.abs(fineError(halfColRe, halfColIm, stepColRe, stepColIm)) <= DIGIT_FREQ_TOLERANCE * FREQ[runCol];
    }

    /** Block-to-block estimate (Hz), unwrapped with the half-block one. */
    private static double fineError(double halfSumRe, double halfSumIm, double stepSumRe, double stepSumIm) {
        double coarse = coarseError(halfSumRe, halfSumIm);
        double fine = Math.atan2(stepSumIm, stepSumRe) * HZ_PER_RADIAN_BLOCK;
        return fine + Math.rint((coarse - fine) / BLOCK_ALIAS_HZ) * BLOCK_ALIAS_HZ;
    }

    /**
     * Duration in samples. Whole blocks are recognised by their Hann level (insensitive to leakage
     * between the two tones) and count 1. Partly covered blocks count by their rectangular amplitude
     * relative to the whole blocks' mean, which is proportional to the part of the block the tone covers
     * (see {@link #coverage}).
     */
    private int durationSamples() {
        double hannMax = 0.0;
        for (int i = 0; i < runBlocks; i++) {
            hannMax = Math.max(hannMax, runHann[i]);
        }
        double rowSum = 0.0;
        double colSum = 0.0;
        int full = 0;
        for (int i = 0; i < runBlocks; i++) {
            if (runHann[i] >= FULL_BLOCK * hannMax) {
                rowSum += runRectRow[i];
                colSum += runRectCol[i];
                full++;
            }
        }
        double rowRef = rowSum / full;
        double colRef = colSum / full;
        double blocks = overflowBlocks + full;
        for (int i = 0; i < runBlocks; i++) {
            if (runHann[i] < FULL_BLOCK * hannMax && (i > 0 || coverage(1, rowRef, colRef) >= 0.5)) {
                blocks += coverage(i, rowRef, colRef); // block 0 only if block 1 was not already the onset
            }
        }
        return (int) Math.round(blocks * BLOCK);
    }

    /**
     * Part of block {@code i} covered by the tone. Each tone's ratio to its whole-block amplitude is
     * weighted by its power: the weaker tone's amplitude carries the leakage of the stronger one (up to
     * ±20 % at -8 dB twist), the stronger one's hardly any. The weaker ratio plus 0.3 caps it, so that one
     * tone lingering without the other (speech, or a neighbouring digit sharing it) is not counted as the
     * digit.
     */
    private double coverage(int i, double rowRef, double colRef) {
        double r = runRectRow[i] / rowRef;
        double c = runRectCol[i] / colRef;
        double wr = rowRef * rowRef;
        double wc = colRef * colRef;
        double weighted = (r * wr + c * wc) / (wr + wc);
        return Math.min(1.0, Math.min(weighted, Math.min(r, c) + LINGER_MARGIN));
    }

    private void finishRun() {
        if (!reported) {
            int samples = durationSamples();
            if (validBlocks >= 2 && samples >= MIN_DURATION_SAMPLES && frequencyOk()) {
                report(samples);
            } else {
                rejected++;
            }
        }
        runDigit = -1;
    }

    private void report(int samples) {
        digitsDetected++;
        listener.onDigit(KEYS[runDigit], (samples * 1000 + SAMPLE_RATE / 2) / SAMPLE_RATE);
    }
}
