package org.switchboard.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.media.dsp.Signals.DIGITS;
import static org.switchboard.media.dsp.Signals.FRAME;
import static org.switchboard.media.dsp.Signals.colOf;
import static org.switchboard.media.dsp.Signals.concat;
import static org.switchboard.media.dsp.Signals.detect;
import static org.switchboard.media.dsp.Signals.dualTone;
import static org.switchboard.media.dsp.Signals.feed;
import static org.switchboard.media.dsp.Signals.ms;
import static org.switchboard.media.dsp.Signals.rowOf;
import static org.switchboard.media.dsp.Signals.silence;
import static org.switchboard.media.dsp.Signals.withNoise;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.media.dsp.Signals.Detection;

/**
 * Acceptance limits of {@link DtmfDetector} (ITU-T Q.24 style). Every check runs over all 16 keys and
 * several positions of the tone relative to the detector's 102-sample blocks, because results depend on
 * where a tone starts within a block. Lines starting with "[dtmf]" report measured limits.
 */
class DtmfDetectorTest {

    /** One 102-sample analysis block in ms: the duration resolution the brief asks for. */
    private static final double ONE_BLOCK_MS = 102 * 1000.0 / 8000;
    private static final double NOISE_DBM0 = -40.0;

    /**
     * A DTMF tone preceded by {@code lead} samples of silence, with tone phases derived from the seed
     * so that the many cases do not all start in phase.
     */
    static short[] key(char d, double lowDbm0, double highDbm0, double rowOffset, double colOffset,
            int lead, int samples, long seed) {
        Random r = new Random(seed);
        return concat(silence(lead), dualTone(rowOf(d) * (1 + rowOffset), lowDbm0, colOf(d) * (1 + colOffset),
                highDbm0, samples, r.nextDouble() * 2 * Math.PI, r.nextDouble() * 2 * Math.PI));
    }

    static short[] key(char d, double dbm0, int lead, int samples, long seed) {
        return key(d, dbm0, dbm0, 0, 0, lead, samples, seed);
    }

    /** Lead-in lengths that put the tone onset at different places within a 102-sample block. */
    static int[] leads(int step) {
        int[] out = new int[(102 + step - 1) / step];
        for (int i = 0; i < out.length; i++) {
            out[i] = 80 + i * step;
        }
        return out;
    }

    /** {low, high} levels for a twist (high minus low, dB) with the weaker tone at {@code weak}. */
    static double[] weakAt(double weak, int twist) {
        return twist >= 0 ? new double[] {weak, weak + twist} : new double[] {weak - twist, weak};
    }

    /** {low, high} levels for a twist with the stronger tone at {@code strong}. */
    static double[] strongAt(double strong, int twist) {
        return twist >= 0 ? new double[] {strong - twist, strong} : new double[] {strong, strong + twist};
    }

    /** Cases (key@lead->detected) in which a key was not detected exactly once under the given conditions. */
    static List<String> failures(double lowDbm0, double highDbm0, double rowOffset, double colOffset,
            int durationMs, boolean noise, int leadStep) {
        List<String> failures = new ArrayList<>();
        for (char d : DIGITS.toCharArray()) {
            for (int lead : leads(leadStep)) {
                long seed = d * 1000L + lead;
                short[] s = key(d, lowDbm0, highDbm0, rowOffset, colOffset, lead, ms(durationMs), seed);
                if (noise) {
                    s = withNoise(s, NOISE_DBM0, seed);
                }
                Detection r = detect(s);
                if (!r.digits().equals(String.valueOf(d))) {
                    failures.add(d + "@" + lead + "->'" + r.digits() + "'");
                }
            }
        }
        return failures;
    }

    /** All digits any key produced under the given conditions (used where nothing may be detected). */
    static String anyDetection(double lowDbm0, double highDbm0, double rowOffset, double colOffset,
            int durationMs, boolean noise, int leadStep) {
        StringBuilder all = new StringBuilder();
        for (char d : DIGITS.toCharArray()) {
            for (int lead : leads(leadStep)) {
                long seed = d * 1000L + lead;
                short[] s = key(d, lowDbm0, highDbm0, rowOffset, colOffset, lead, ms(durationMs), seed);
                if (noise) {
                    s = withNoise(s, NOISE_DBM0, seed);
                }
                all.append(detect(s).digits());
            }
        }
        return all.toString();
    }

    @Test
    void detectsAllSixteenKeysInSequence() {
        List<short[]> parts = new ArrayList<>();
        for (char d : DIGITS.toCharArray()) {
            parts.add(key(d, -10, 0, ms(80), d));
            parts.add(silence(ms(80)));
        }
        Detection r = detect(concat(parts.toArray(new short[0][])));

        assertThat(r.digits()).isEqualTo(DIGITS);
        assertThat(r.durationsMs()).allSatisfy(ms -> assertThat(ms).isBetween(80 - 12, 80 + 12));
        assertThat(r.rejected()).isZero();
    }

    @Nested
    class Levels {

        @ParameterizedTest(name = "{0} dBm0 per tone")
        @ValueSource(doubles = {-3, -6, -10, -15, -20, -23, -26})
        void detectsEveryKeyFromMinus3DownToMinus26Dbm0PerTone(double dbm0) {
            assertThat(failures(dbm0, dbm0, 0, 0, 60, false, 17)).isEmpty();
        }

        @Test
        void detectsEveryKeyAtMinus26Dbm0InMinus40Dbm0Noise() {
            assertThat(failures(-26, -26, 0, 0, 60, true, 17)).isEmpty();
        }

        /**
         * 0 dBm0 per tone (+3 dBm0 for the pair) peaks at 45 400, beyond 16 bits: the samples saturate
         * as a codec would. The clipped pair must still be accepted.
         */
        @Test
        void detectsEveryKeyAtZeroDbm0PerToneEvenThoughThePairClips() {
            assertThat(failures(0, 0, 0, 0, 60, false, 17)).isEmpty();
        }

        @Test
        void sensitivityFloorLiesBetweenMinus26AndMinus34Dbm0() {
            double lowestAllDetected = 0;
            for (double level = -20; level >= -40; level -= 0.5) {
                if (!failures(level, level, 0, 0, 60, false, 51).isEmpty()) {
                    break;
                }
                lowestAllDetected = level;
            }
            System.out.printf("[dtmf] all 16 keys detected down to %.1f dBm0 per tone%n", lowestAllDetected);
            assertThat(lowestAllDetected).isLessThanOrEqualTo(-26).isGreaterThanOrEqualTo(-31);
            assertThat(anyDetection(-34, -34, 0, 0, 100, false, 51)).isEmpty();
        }
    }

    @Nested
    class Twist {

        /** Twist = high group level minus low group level; Q.24 asks for +4 dB (reverse) to -8 dB (normal). */
        @ParameterizedTest(name = "twist {0} dB")
        @ValueSource(ints = {4, 2, 0, -2, -4, -6, -8})
        void acceptsTwistWithTheWeakerToneAtMinus26Dbm0InNoise(int twist) {
            double[] lv = weakAt(-26, twist);
            assertThat(failures(lv[0], lv[1], 0, 0, 60, true, 17)).isEmpty();
        }

        @ParameterizedTest(name = "twist {0} dB")
        @ValueSource(ints = {4, 2, 0, -2, -4, -6, -8})
        void acceptsTwistWithTheStrongerToneAtMinus3Dbm0(int twist) {
            double[] lv = strongAt(-3, twist);
            assertThat(failures(lv[0], lv[1], 0, 0, 60, false, 17)).isEmpty();
        }

        @Test
        void measuresTheAcceptedTwistRange() {
            double reverse = 0;
            while (failures(-16, -16 + reverse + 0.5, 0, 0, 60, false, 51).isEmpty()) {
                reverse += 0.5;
            }
            double normal = 0;
            while (failures(-16 + normal + 0.5, -16, 0, 0, 60, false, 51).isEmpty()) {
                normal += 0.5;
            }
            System.out.printf("[dtmf] twist accepted from +%.1f dB (high group stronger) to -%.1f dB%n", reverse, normal);
            assertThat(reverse).isBetween(4.0, 7.0);
            assertThat(normal).isBetween(8.0, 11.0);
        }
    }

    @Nested
    class FrequencyTolerance {

        @ParameterizedTest(name = "offset {0}")
        @ValueSource(doubles = {-0.015, -0.01, 0.01, 0.015})
        void acceptsOffsetsUpTo1Point5Percent(double offset) {
            List<String> failures = new ArrayList<>();
            for (int twist : new int[] {4, 0, -8}) {
                for (double[] lv : new double[][] {weakAt(-26, twist), weakAt(-10, twist), strongAt(-3, twist)}) {
                    boolean noise = lv[0] < -20 || lv[1] < -20;
                    failures.addAll(failures(lv[0], lv[1], offset, 0, 60, noise, 34));
                    failures.addAll(failures(lv[0], lv[1], 0, offset, 60, noise, 34));
                    failures.addAll(failures(lv[0], lv[1], offset, offset, 60, noise, 34));
                    failures.addAll(failures(lv[0], lv[1], offset, -offset, 60, noise, 34));
                }
            }
            assertThat(failures).isEmpty();
        }

        @ParameterizedTest(name = "offset {0}")
        @ValueSource(doubles = {-0.05, -0.035, 0.035, 0.05})
        void rejectsOffsetsOf3Point5PercentOrMore(double offset) {
            StringBuilder detected = new StringBuilder();
            for (int twist : new int[] {4, 0, -8}) {
                for (double[] lv : new double[][] {weakAt(-26, twist), weakAt(-10, twist), strongAt(-3, twist)}) {
                    boolean noise = lv[0] < -20 || lv[1] < -20;
                    detected.append(anyDetection(lv[0], lv[1], offset, 0, 100, noise, 34));
                    detected.append(anyDetection(lv[0], lv[1], 0, offset, 100, noise, 34));
                    detected.append(anyDetection(lv[0], lv[1], offset, offset, 100, noise, 34));
                }
            }
            assertThat(detected.toString()).isEmpty();
        }

        @Test
        void measuresTheAcceptanceEdge() {
            double accepted = 0;
            while (failures(-10, -10, accepted + 0.001, 0, 60, false, 51).isEmpty()
                    && failures(-10, -10, -(accepted + 0.001), 0, 60, false, 51).isEmpty()
                    && failures(-10, -10, 0, accepted + 0.001, 60, false, 51).isEmpty()
                    && failures(-10, -10, 0, -(accepted + 0.001), 60, false, 51).isEmpty()) {
                accepted += 0.001;
            }
            double rejected = 0.035;
            while (anyDetection(-10, -10, rejected - 0.001, 0, 60, false, 51).isEmpty()
                    && anyDetection(-10, -10, -(rejected - 0.001), 0, 60, false, 51).isEmpty()
                    && anyDetection(-10, -10, 0, rejected - 0.001, 60, false, 51).isEmpty()
                    && anyDetection(-10, -10, 0, -(rejected - 0.001), 60, false, 51).isEmpty()) {
                rejected -= 0.001;
            }
            System.out.printf("[dtmf] every key accepted up to ±%.1f %%, none accepted from ±%.1f %%%n",
                    accepted * 100, rejected * 100);
            assertThat(accepted).isGreaterThanOrEqualTo(0.015);
            assertThat(rejected).isLessThanOrEqualTo(0.035);
        }
    }

    @Nested
    class Durations {

        @ParameterizedTest(name = "{0} ms")
        @ValueSource(ints = {20, 30, 32, 35})
        void rejectsTonesShorterThan40Ms(int durationMs) {
            assertThat(anyDetection(-10, -10, 0, 0, durationMs, false, 3)).isEmpty();
            assertThat(anyDetection(-26, -26, 0, 0, durationMs, true, 17)).isEmpty();
            assertThat(anyDetection(-16, -12, 0.015, -0.015, durationMs, true, 17)).isEmpty();
            assertThat(anyDetection(-3, -11, -0.015, 0.015, durationMs, false, 17)).isEmpty();
        }

        @ParameterizedTest(name = "{0} ms")
        @ValueSource(ints = {45, 48, 50})
        void acceptsTonesOf45MsAndLonger(int durationMs) {
            assertThat(failures(-10, -10, 0, 0, durationMs, false, 3)).isEmpty();
            assertThat(failures(-26, -26, 0, 0, durationMs, true, 17)).isEmpty();
            assertThat(failures(-16, -12, 0.015, -0.015, durationMs, true, 17)).isEmpty();
            assertThat(failures(-3, -11, -0.015, 0.015, durationMs, false, 17)).isEmpty();
        }

        @ParameterizedTest(name = "{0} ms")
        @ValueSource(ints = {45, 60, 100, 200, 500, 900})
        void reportsDurationWithinOneBlock(int durationMs) {
            double worst = 0;
            for (char d : DIGITS.toCharArray()) {
                for (int lead : leads(17)) {
                    Detection r = detect(key(d, -10, lead, ms(durationMs), lead + d));
                    assertThat(r.digits()).isEqualTo(String.valueOf(d));
                    worst = Math.max(worst, Math.abs(r.durationsMs().get(0) - durationMs));
                }
            }
            System.out.printf("[dtmf] %d ms tones reported within ±%.0f ms%n", durationMs, worst);
            assertThat(worst).isLessThanOrEqualTo(ONE_BLOCK_MS);
        }

        @Test
        void keyHeld200MsIsOneDigit() {
            for (char d : DIGITS.toCharArray()) {
                for (int lead : leads(17)) {
                    Detection r = detect(withNoise(key(d, -20, lead, ms(200), d + lead), NOISE_DBM0, lead));
                    assertThat(r.digits()).isEqualTo(String.valueOf(d));
                }
            }
        }

        @Test
        void keyHeldLongerThanOneSecondIsReportedOnceWhenItReachesOneSecond() {
            short[] tone = key('5', -10, 0, ms(2500), 5);
            List<Integer> reportedAtSample = new ArrayList<>();
            List<Integer> durations = new ArrayList<>();
            int[] fed = {0};
            DtmfDetector det = new DtmfDetector((digit, ms) -> {
                reportedAtSample.add(fed[0]);
                durations.add(ms);
            });
            short[] frame = new short[FRAME];
            for (int o = 0; o + FRAME <= tone.length; o += FRAME) {
                System.arraycopy(tone, o, frame, 0, FRAME);
                det.process(frame);
                fed[0] = o + FRAME;
            }
            feed(det, silence(ms(300)));

            assertThat(durations).hasSize(1);
            assertThat(durations.get(0)).isBetween(1000, 1013);
            // reported while the key was still down, within a block and a frame of the 1 s mark
            assertThat(reportedAtSample.get(0)).isBetween(ms(1000), ms(1000 + ONE_BLOCK_MS + 20));
            assertThat(det.digitsDetected()).isEqualTo(1);
        }

        @Test
        void twoPressesSeparatedBy40MsOfSilenceAreTwoDigits() {
            for (char d : DIGITS.toCharArray()) {
                for (int lead : leads(7)) {
                    short[] s = concat(key(d, -10, lead, ms(60), d), silence(ms(40)), key(d, -10, 0, ms(60), lead));
                    assertThat(detect(s).digits()).as("%s lead %d", d, lead).isEqualTo("" + d + d);
                }
                for (int lead : leads(17)) {
                    short[] s = withNoise(concat(key(d, -26, lead, ms(50), d), silence(ms(40)), key(d, -26, 0, ms(50), lead)),
                            NOISE_DBM0, lead);
                    assertThat(detect(s).digits()).as("%s lead %d in noise", d, lead).isEqualTo("" + d + d);
                }
            }
        }

        @Test
        void dropoutOfOneBlockDoesNotDoubleTheDigit() {
            int dropout = 102; // 12.75 ms: one analysis block, at every position relative to the blocks
            for (char d : DIGITS.toCharArray()) {
                for (int lead : leads(3)) {
                    Random rnd = new Random(lead);
                    double p1 = rnd.nextDouble() * 6;
                    double p2 = rnd.nextDouble() * 6;
                    short[] before = dualTone(rowOf(d), -10, colOf(d), -10, ms(100), p1, p2);
                    short[] after = dualTone(rowOf(d), -10, colOf(d), -10, ms(100), p1 + 1, p2 + 2);
                    short[] s = concat(silence(lead), before, silence(dropout), after);
                    Detection r = detect(s);
                    assertThat(r.digits()).as("%s lead %d", d, lead).isEqualTo(String.valueOf(d));
                    assertThat(detect(withNoise(s, NOISE_DBM0, lead)).digits()).isEqualTo(String.valueOf(d));
                }
            }
        }
    }

    /**
     * Random mixtures of the limits above (fixed seed, so deterministic): twist anywhere in -8..+4 dB,
     * weaker tone anywhere in -26..-3 dBm0, frequency errors, random onset and phases, -40 dBm0 noise.
     */
    @Nested
    class RandomizedConditions {

        private final Random rnd = new Random(20240601);

        private short[] randomKey(char d, int durationMs, double rowOffset, double colOffset) {
            double twist = -8 + 12 * rnd.nextDouble();
            double weak = -26 + 23 * rnd.nextDouble();
            double[] lv = twist >= 0 ? new double[] {weak, weak + twist} : new double[] {weak - twist, weak};
            double over = Math.max(0, Math.max(lv[0], lv[1]) + 3); // keep the stronger tone at -3 dBm0 or below
            short[] s = concat(silence(50 + rnd.nextInt(200)), dualTone(rowOf(d) * (1 + rowOffset), lv[0] - over,
                    colOf(d) * (1 + colOffset), lv[1] - over, ms(durationMs), rnd.nextDouble() * 7, rnd.nextDouble() * 7));
            return withNoise(s, NOISE_DBM0, rnd.nextLong());
        }

        private char randomDigit() {
            return DIGITS.charAt(rnd.nextInt(16));
        }

        private double within(double limit) {
            return (rnd.nextDouble() * 2 - 1) * limit;
        }

        @Test
        void thousandsOfRandomTonesAtTheLimits() {
            int cases = 2000;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < cases; i++) {
                char d = randomDigit();
                String r = detect(randomKey(d, 45, within(0.015), within(0.015))).digits();
                if (!r.equals(String.valueOf(d))) {
                    wrong.add("45 ms " + d + " -> '" + r + "'");
                }
                d = randomDigit();
                r = detect(randomKey(d, 35, within(0.015), within(0.015))).digits();
                if (!r.isEmpty()) {
                    wrong.add("35 ms " + d + " -> '" + r + "'");
                }
                d = randomDigit();
                double sign = rnd.nextBoolean() ? 1 : -1;
                r = detect(rnd.nextBoolean() ? randomKey(d, 60, sign * 0.015, within(0.015))
                        : randomKey(d, 60, within(0.015), sign * 0.015)).digits();
                if (!r.equals(String.valueOf(d))) {
                    wrong.add("1.5 % " + d + " -> '" + r + "'");
                }
                d = randomDigit();
                r = detect(rnd.nextBoolean() ? randomKey(d, 100, sign * 0.035, within(0.015))
                        : randomKey(d, 100, within(0.015), sign * 0.035)).digits();
                if (!r.isEmpty()) {
                    wrong.add("3.5 % " + d + " -> '" + r + "'");
                }
            }
            System.out.printf("[dtmf] randomized limits: %d cases, %d wrong%n", 4 * cases, wrong.size());
            assertThat(wrong).isEmpty();
        }
    }

    @Nested
    class Robustness {

        @Test
        void minus40Dbm0NoiseAddedToValidTonesStillDetects() {
            List<short[]> parts = new ArrayList<>();
            for (char d : DIGITS.toCharArray()) {
                parts.add(key(d, -20, 0, ms(60), d));
                parts.add(silence(ms(60)));
            }
            short[] noisy = withNoise(concat(parts.toArray(new short[0][])), NOISE_DBM0, 42);
            assertThat(detect(noisy).digits()).isEqualTo(DIGITS);
        }

        @ParameterizedTest(name = "{0} dBm0")
        @ValueSource(doubles = {-40, -20, -10, -3})
        void whiteNoiseAloneGivesNoDigits(double dbm0) {
            assertThat(detect(withNoise(silence(ms(20_000)), dbm0, 7)).digits()).isEmpty();
        }

        @Test
        void resultDoesNotDependOnFrameSize() {
            List<short[]> parts = new ArrayList<>();
            for (char d : "0#9A*".toCharArray()) {
                parts.add(withNoise(key(d, -25, 33, ms(47), d), NOISE_DBM0, d));
                parts.add(silence(ms(41)));
            }
            short[] s = concat(parts.toArray(new short[0][]));
            String expected = null;
            List<Integer> expectedDurations = null;
            for (int size : new int[] {160, 1, 7, 80, 102, 333, 1000}) {
                StringBuilder digits = new StringBuilder();
                List<Integer> durations = new ArrayList<>();
                DtmfDetector det = new DtmfDetector((d, ms) -> {
                    digits.append(d);
                    durations.add(ms);
                });
                for (int o = 0; o < s.length; o += size) {
                    short[] chunk = new short[Math.min(size, s.length - o)];
                    System.arraycopy(s, o, chunk, 0, chunk.length);
                    det.process(chunk);
                }
                feed(det, silence(ms(100)));
                if (expected == null) {
                    expected = digits.toString();
                    expectedDurations = durations;
                }
                assertThat(digits.toString()).as("frame size %d", size).isEqualTo("0#9A*").isEqualTo(expected);
                assertThat(durations).isEqualTo(expectedDurations);
            }
        }

        @Test
        void resetForgetsAToneInProgressButKeepsCounters() {
            DtmfDetector det = new DtmfDetector((d, ms) -> { });
            feed(det, key('1', -10, 0, ms(100), 1));
            feed(det, silence(ms(100)));
            assertThat(det.digitsDetected()).isEqualTo(1);

            feed(det, key('2', -10, 0, ms(100), 2));
            det.reset();
            feed(det, silence(ms(100)));
            assertThat(det.digitsDetected()).isEqualTo(1);

            feed(det, key('3', -10, 0, ms(30), 3));
            feed(det, silence(ms(100)));
            assertThat(det.digitsDetected()).isEqualTo(1);
            assertThat(det.rejected()).isEqualTo(1);
        }

        @Test
        void countsDigitsAndRejectedCandidates() {
            List<short[]> parts = new ArrayList<>();
            for (char d : "123".toCharArray()) {
                parts.add(key(d, -10, 0, ms(60), d));
                parts.add(silence(ms(60)));
            }
            parts.add(key('4', -10, 0, ms(30), 4)); // too short
            parts.add(silence(ms(60)));
            parts.add(key('5', -10, -10, 0.035, 0, 0, ms(100), 5)); // off frequency
            parts.add(silence(ms(60)));
            Detection r = detect(concat(parts.toArray(new short[0][])));
            assertThat(r.digits()).isEqualTo("123");
            assertThat(r.rejected()).isEqualTo(2);
        }

        @Test
        void doesNotAllocateWhileProcessing() {
            List<short[]> parts = new ArrayList<>();
            for (char d : DIGITS.toCharArray()) {
                parts.add(withNoise(key(d, -15, 0, ms(60), d), NOISE_DBM0, d));
                parts.add(silence(ms(53)));
            }
            parts.add(key('5', -10, 0, ms(1500), 5)); // a held key, reported at 1 s
            parts.add(silence(ms(100)));
            short[] s = concat(parts.toArray(new short[0][]));
            short[][] frames = new short[s.length / FRAME][FRAME];
            for (int i = 0; i < frames.length; i++) {
                System.arraycopy(s, i * FRAME, frames[i], 0, FRAME);
            }
            int[] count = {0};
            DtmfDetector det = new DtmfDetector((d, ms) -> count[0]++);
            for (int round = 0; round < 30; round++) { // warm-up: let the JIT compile everything
                for (short[] f : frames) {
                    det.process(f);
                }
            }
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long b0 = mx.getThreadAllocatedBytes(id);
            long b1 = mx.getThreadAllocatedBytes(id);
            for (short[] f : frames) {
                det.process(f);
            }
            long b2 = mx.getThreadAllocatedBytes(id);
            long allocated = (b2 - b1) - (b1 - b0);

            assertThat(count[0]).isEqualTo(31 * 17);
            assertThat(allocated).as("bytes allocated while processing %d frames", frames.length).isZero();
        }
    }
}
