package org.switchboard.media.dsp;

import java.util.Objects;

/**
 * In-band DTMF (ITU-T Q.23 frequencies) receiver for 8 kHz 16-bit linear PCM, with Q.24-style
 * acceptance limits.
 *
 * <h2>How it works</h2>
 * <ul>
 *   <li>Audio is cut into blocks of {@value #BLOCK} samples (12.75 ms) independent of the 20 ms frame
 *       boundaries; 102 samples puts every DTMF frequency close to a bin centre while keeping blocks
 *       short enough for 40 ms tones.</li>
 *   <li>For each of the 8 DTMF frequencies a single-bin DFT (what Goertzel computes, here with a
 *       precomputed twiddle table so the complex value is available) is taken over each half block.
 *       The coherent sum of the halves gives the tone amplitude; the phase advance between the halves
 *       gives the tone's actual frequency (unambiguous to ±78 Hz), which is how a tone more than 3.5 %
 *       off nominal is rejected even though it still falls inside the 78 Hz wide bin.</li>
 *   <li>A block is <em>valid</em> for a digit when: both tones are above -30 dBm0, the twist is within
 *       +5 / -10 dB (measured; the Q.24 range +4 / -8 dB plus the bin's off-frequency loss), each tone
 *       is 8 dB above the other tones of its group, the two tones carry at least 70 % of the block's
 *       energy (speech spreads its energy over many harmonics and formants, a DTMF pair does not), and
 *       both frequency estimates are within 3 %.</li>
 *   <li>A digit needs two valid blocks, a total duration of at least 40 ms, and a frequency error
 *       averaged over its valid blocks within 2.5 % (midway between the 1.5 % that must be accepted and
 *       the 3.5 % that must be rejected). Duration is measured by summing, over the blocks of the tone,
 *       each block's amplitude relative to the tone's full amplitude, so partly covered edge blocks count
 *       fractionally (resolution much finer than a block).</li>
 *   <li>Once a digit has started, a weaker "hold" test keeps it alive, and a single failing block is
 *       tolerated, so a dropout does not split one key press in two; two failing blocks (a gap of at
 *       least ~13-25 ms, always present in a 40 ms pause) end it.</li>
 * </ul>
 *
 * <p>Not thread-safe; one instance per media stream. {@link #process} does not allocate.
 */
public final class DtmfDetector {

    /** Receives detected digits on the thread calling {@link #process}. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param digit      one of {@code 0-9 * # A B C D}
         * @param durationMs how long the key lasted (or 1000 if reported because it was held 1 s)
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

    /** Weakest tone accepted (amplitude); -26 dBm0 must pass with margin for noise and off-frequency loss. */
    private static final double MIN_AMPLITUDE = Dbm0.peakAmplitude(-30.0);
    /** High group may be up to this much stronger (energy ratio, +5 dB). */
    private static final double MAX_REVERSE_TWIST = Math.pow(10.0, 5.0 / 10.0);
    /** Low group may be up to this much stronger (energy ratio, 10 dB). */
    private static final double MAX_NORMAL_TWIST = Math.pow(10.0, 10.0 / 10.0);
    /** Each tone must exceed the other tones of its group by 8 dB (energy ratio). */
    private static final double RELATIVE_PEAK = Math.pow(10.0, 8.0 / 10.0);
    /** Share of the block energy the two tones must carry in a valid block. */
    private static final double TONE_TO_TOTAL = 0.70;
    /** Share required to merely keep an already started digit alive (partly covered blocks). */
    private static final double HOLD_TONE_TO_TOTAL = 0.30;
    /** Amplitude, relative to the digit's full amplitude, that keeps a started digit alive. */
    private static final double HOLD_FRACTION = 0.40;
    /** Per-block frequency tolerance (relative). */
    private static final double BLOCK_FREQ_TOLERANCE = 0.030;
    /** Frequency tolerance of the error averaged over the whole tone (relative). */
    private static final double DIGIT_FREQ_TOLERANCE = 0.025;
    private static final int MIN_DURATION_SAMPLES = 40 * SAMPLE_RATE / 1000;
    private static final int MAX_HOLD_SAMPLES = SAMPLE_RATE;
    /** Enough blocks to measure a 1 s tone plus its edge blocks. */
    private static final int MAX_RUN_BLOCKS = MAX_HOLD_SAMPLES / BLOCK + 8;

    /** Twiddles cos/sin(2π f m / fs), index k * HALF + m. */
    private static final double[] COS = new double[FREQ.length * HALF];
    private static final double[] SIN = new double[FREQ.length * HALF];
    /** Rotation by one half block at each nominal frequency. */
    private static final double[] HALF_COS = new double[FREQ.length];
    private static final double[] HALF_SIN = new double[FREQ.length];
    /** Hz of frequency error per radian of extra phase advance over half a block. */
    private static final double HZ_PER_RADIAN = SAMPLE_RATE / (2.0 * Math.PI * HALF);

    static {
        for (int k = 0; k < FREQ.length; k++) {
            double w = 2.0 * Math.PI * FREQ[k] / SAMPLE_RATE;
            for (int m = 0; m < HALF; m++) {
                COS[k * HALF + m] = Math.cos(w * m);
                SIN[k * HALF + m] = Math.sin(w * m);
            }
            HALF_COS[k] = Math.cos(w * HALF);
            HALF_SIN[k] = Math.sin(w * HALF);
        }
    }

    private final Listener listener;

    // Per-block accumulators: DFT of first half (A) and second half (B), and block energy.
    private final double[] reA = new double[FREQ.length];
    private final double[] imA = new double[FREQ.length];
    private final double[] reB = new double[FREQ.length];
    private final double[] imB = new double[FREQ.length];
    private double blockEnergy;
    private int pos;

    // Per-block results.
    private final double[] amp = new double[FREQ.length];
    private final double[] prevAmp = new double[FREQ.length];
    private final double[] phaseRe = new double[FREQ.length];
    private final double[] phaseIm = new double[FREQ.length];

    // Current digit ("run") state.
    private int runDigit = -1;
    private int runRow;
    private int runCol;
    private int validBlocks;
    private int missBlocks;
    private int runBlocks;
    private int overflowBlocks;
    private boolean reported;
    private double refRow;
    private double refCol;
    private double sumRowRe;
    private double sumRowIm;
    private double sumColRe;
    private double sumColIm;
    private final double[] runAmpRow = new double[MAX_RUN_BLOCKS];
    private final double[] runAmpCol = new double[MAX_RUN_BLOCKS];

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
            blockEnergy += x * x;
            if (pos < HALF) {
                int m = pos;
                for (int k = 0; k < FREQ.length; k++) {
                    int t = k * HALF + m;
                    reA[k] += x * COS[t];
                    imA[k] -= x * SIN[t];
                }
            } else {
                int m = pos - HALF;
                for (int k = 0; k < FREQ.length; k++) {
                    int t = k * HALF + m;
                    reB[k] += x * COS[t];
                    imB[k] -= x * SIN[t];
                }
            }
            if (++pos == BLOCK) {
                analyseBlock();
                pos = 0;
                blockEnergy = 0.0;
                for (int k = 0; k < FREQ.length; k++) {
                    reA[k] = 0.0;
                    imA[k] = 0.0;
                    reB[k] = 0.0;
                    imB[k] = 0.0;
                }
            }
        }
    }

    /** Forgets any partial block and any tone in progress (without reporting it); counters are kept. */
    public void reset() {
        pos = 0;
        blockEnergy = 0.0;
        for (int k = 0; k < FREQ.length; k++) {
            reA[k] = 0.0;
            imA[k] = 0.0;
            reB[k] = 0.0;
            imB[k] = 0.0;
            prevAmp[k] = 0.0;
        }
        runDigit = -1;
    }

    /** Number of digits reported to the listener. */
    public long digitsDetected() {
        return digitsDetected;
    }

    /** Number of DTMF-like candidates (at least one valid block) that were not reported: too short, off frequency, unstable. */
    public long rejected() {
        return rejected;
    }

    private void analyseBlock() {
        for (int k = 0; k < FREQ.length; k++) {
            double c = HALF_COS[k];
            double s = HALF_SIN[k];
            // Whole block: X = A + B·e^{-jωH} (B was referenced to its own start).
            double xr = reA[k] + reB[k] * c + imB[k] * s;
            double xi = imA[k] + imB[k] * c - reB[k] * s;
            amp[k] = 2.0 * Math.sqrt(xr * xr + xi * xi) / BLOCK;
            // B·conj(A)·e^{-jωH}: its angle is the extra phase advance caused by a frequency error.
            double pr = reB[k] * reA[k] + imB[k] * imA[k];
            double pi = imB[k] * reA[k] - reB[k] * imA[k];
            phaseRe[k] = pr * c + pi * s;
            phaseIm[k] = pi * c - pr * s;
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
        double meanSquare = blockEnergy / BLOCK;
        int valid = isValid(row, col, meanSquare) ? (row * 4 + col - 4) : -1;

        if (runDigit < 0) {
            if (valid >= 0) {
                startRun(valid, row, col);
            }
        } else if (valid == runDigit || holds(row, col, meanSquare)) {
            missBlocks = 0;
            appendBlock();
            if (valid == runDigit) {
                addValidBlock();
            }
        } else if (valid >= 0) {
            appendBlock(); // trailing, partly covered block of the old digit
            finishRun();
            startRun(valid, row, col);
        } else if (++missBlocks == 1) {
            appendBlock(); // may still hold the tail of the tone, or be a dropout
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
        System.arraycopy(amp, 0, prevAmp, 0, FREQ.length);
    }

    private boolean isValid(int row, int col, double meanSquare) {
        double ar = amp[row];
        double ac = amp[col];
        if (ar < MIN_AMPLITUDE || ac < MIN_AMPLITUDE) {
            return false;
        }
        double er = ar * ar;
        double ec = ac * ac;
        if (ec > er * MAX_REVERSE_TWIST || er > ec * MAX_NORMAL_TWIST) {
            return false;
        }
        for (int k = 0; k < 4; k++) {
            if (k != row && amp[k] * amp[k] * RELATIVE_PEAK > er) {
                return false;
            }
        }
        for (int k = 4; k < 8; k++) {
            if (k != col && amp[k] * amp[k] * RELATIVE_PEAK > ec) {
                return false;
            }
        }
        // Power of the two sines (a²/2 each) against the block's mean square.
        if ((er + ec) * 0.5 < TONE_TO_TOTAL * meanSquare) {
            return false;
        }
        return Math.abs(frequencyError(phaseRe[row], phaseIm[row])) <= BLOCK_FREQ_TOLERANCE * FREQ[row]
                && Math.abs(frequencyError(phaseRe[col], phaseIm[col])) <= BLOCK_FREQ_TOLERANCE * FREQ[col];
    }

    private boolean holds(int row, int col, double meanSquare) {
        if (row != runRow || col != runCol) {
            return false;
        }
        double ar = amp[row];
        double ac = amp[col];
        return ar >= HOLD_FRACTION * refRow && ac >= HOLD_FRACTION * refCol
                && (ar * ar + ac * ac) * 0.5 >= HOLD_TONE_TO_TOTAL * meanSquare;
    }

    private static double frequencyError(double re, double im) {
        return Math.atan2(im, re) * HZ_PER_RADIAN;
    }

    private void startRun(int digit, int row, int col) {
        runDigit = digit;
        runRow = row;
        runCol = col;
        validBlocks = 0;
        missBlocks = 0;
        runBlocks = 0;
        overflowBlocks = 0;
        reported = false;
        refRow = 0.0;
        refCol = 0.0;
        sumRowRe = 0.0;
        sumRowIm = 0.0;
        sumColRe = 0.0;
        sumColIm = 0.0;
        // The block before the first valid one usually holds the start of the tone.
        runAmpRow[0] = prevAmp[row];
        runAmpCol[0] = prevAmp[col];
        runBlocks = 1;
        appendBlock();
        addValidBlock();
    }

    private void appendBlock() {
        if (runBlocks < MAX_RUN_BLOCKS) {
            runAmpRow[runBlocks] = amp[runRow];
            runAmpCol[runBlocks] = amp[runCol];
            runBlocks++;
        } else {
            overflowBlocks++;
        }
    }

    private void addValidBlock() {
        validBlocks++;
        refRow = Math.max(refRow, amp[runRow]);
        refCol = Math.max(refCol, amp[runCol]);
        sumRowRe += phaseRe[runRow];
        sumRowIm += phaseIm[runRow];
        sumColRe += phaseRe[runCol];
        sumColIm += phaseIm[runCol];
    }

    private boolean frequencyOk() {
        return Math.abs(frequencyError(sumRowRe, sumRowIm)) <= DIGIT_FREQ_TOLERANCE * FREQ[runRow]
                && Math.abs(frequencyError(sumColRe, sumColIm)) <= DIGIT_FREQ_TOLERANCE * FREQ[runCol];
    }

    /**
     * Each block counts by the fraction of it the tone covered, estimated from its amplitude relative
     * to the tone's full amplitude (the weaker of the two ratios, so a tone shared with a neighbouring
     * digit or speech does not inflate it).
     */
    private int durationSamples() {
        double blocks = overflowBlocks;
        for (int i = 0; i < runBlocks; i++) {
            double f = Math.min(runAmpRow[i] / refRow, runAmpCol[i] / refCol);
            blocks += Math.min(1.0, f);
        }
        return (int) Math.round(blocks * BLOCK);
    }

    static boolean debug;
    private void finishRun() {
        if (debug) System.out.printf("DBG %c valid=%d rowdev=%.3f%% coldev=%.3f%%%n", KEYS[runDigit], validBlocks,
            100*frequencyError(sumRowRe,sumRowIm)/FREQ[runRow], 100*frequencyError(sumColRe,sumColIm)/FREQ[runCol]);
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
