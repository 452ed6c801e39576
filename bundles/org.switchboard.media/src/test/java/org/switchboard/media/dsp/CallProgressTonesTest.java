package org.switchboard.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tone plans of {@link CallProgressTones}, played by {@link ToneGenerator}, measured from the
 * generated audio: frequency, level, cadence, smoothness, and that none of them looks like DTMF.
 */
class CallProgressTonesTest {

    private static final int FS = 8000;

    static Stream<Arguments> allTones() {
        List<Arguments> out = new ArrayList<>();
        for (Country c : Country.values()) {
            for (Tone t : Tone.values()) {
                out.add(Arguments.of(c, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "CN, DIAL,         450,     ''",
        "CN, RINGBACK,     450,     1000/4000",
        "CN, BUSY,         450,     350/350",
        "CN, CONGESTION,   450,     700/700",
        "CN, CALL_WAITING, 450,     400/4000",
        "US, DIAL,         350+440, ''",
        "US, RINGBACK,     440+480, 2000/4000",
        "US, BUSY,         480+620, 500/500",
        "US, CONGESTION,   480+620, 250/250",
        "US, CALL_WAITING, 440,     300/9700",
        "EU, DIAL,         425,     ''",
        "EU, RINGBACK,     425,     1000/4000",
        "EU, BUSY,         425,     500/500",
        "EU, CONGESTION,   425,     250/250",
        "EU, CALL_WAITING, 425,     200/200/200/4400",
    })
    void specMatchesTheNationalPlan(Country c, Tone t, String freqs, String cadence) {
        ToneSpec spec = CallProgressTones.spec(c, t);
        int[] expectedFreqs = Arrays.stream(freqs.split("\\+")).mapToInt(Integer::parseInt).toArray();
        int[] expectedCadence = cadence.isEmpty() ? new int[0]
                : Arrays.stream(cadence.split("/")).mapToInt(Integer::parseInt).toArray();
        assertThat(spec.frequenciesHz()).containsExactly(expectedFreqs);
        assertThat(spec.cadenceMs()).containsExactly(expectedCadence);
        assertThat(spec.continuous()).isEqualTo(cadence.isEmpty());
        // one frequency at -13 dBm0, two at -16 dBm0 each (-13 dBm0 together)
        assertThat(spec.levelDbm0PerFrequency()).isEqualTo(expectedFreqs.length == 1 ? -13.0 : -16.0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allTones")
    void spectrumPeaksAtTheSpecifiedFrequenciesWithin1Percent(Country c, Tone t) {
        ToneSpec spec = CallProgressTones.spec(c, t);
        int[] window = steadyWindow(spec);
        short[] x = generate(spec, window[0] + window[1], 160);
        // Blackman-windowed scan, 200-2000 Hz in 0.5 Hz steps; its low sidelobes (-58 dB) make every real
        // component stand out
        List<double[]> peaks = peaks(x, window[0], window[1]);
        int[] freqs = spec.frequenciesHz();
        for (int i = 0; i < freqs.length; i++) {
            double f = peaks.get(i)[0];
            assertThat(Arrays.stream(freqs).anyMatch(e -> Math.abs(f - e) <= 0.01 * e))
                    .as("peak at %.1f Hz for %s", f, Arrays.toString(freqs)).isTrue();
        }
        // and nothing else: the next strongest peak is at least 40 dB down
        double weakestWanted = peaks.get(freqs.length - 1)[1];
        double strongestOther = peaks.size() > freqs.length ? peaks.get(freqs.length)[1] : 0;
        assertThat(20 * Math.log10(weakestWanted / strongestOther)).isGreaterThan(40);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allTones")
    void levelOfEachFrequencyIsWithinHalfADbOfTheSpec(Country c, Tone t) {
        ToneSpec spec = CallProgressTones.spec(c, t);
        int[] window = steadyWindow(spec);
        int[] freqs = spec.frequenciesHz();
        // a window holding whole periods of every component: no leakage between them
        int period = 1;
        for (int f : freqs) {
            period = lcm(period, FS / gcd(FS, f));
        }
        int length = window[1] / period * period;
        assertThat(length).isPositive();
        short[] x = generate(spec, window[0] + length, 160);
        for (int f : freqs) {
            double level = Dbm0.ofPeakAmplitude(amplitudeAt(x, window[0], length, f));
            assertThat(level).as("%d Hz", f).isCloseTo(spec.levelDbm0PerFrequency(), offset(0.5));
        }
        double total = Dbm0.ofMeanSquare(Signals.meanSquare(Arrays.copyOfRange(x, window[0], window[0] + length)));
        assertThat(total).isCloseTo(-13.0, offset(0.5));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allTones")
    void cadenceIsExactToTheSample(Country c, Tone t) {
        ToneSpec spec = CallProgressTones.spec(c, t);
        int[] cadence = spec.cadenceMs();
        int cycle = Arrays.stream(cadence).sum() * FS / 1000;
        int cycles = cycle == 0 ? 0 : Math.max(2, (3 * FS + cycle - 1) / cycle);
        int total = cycle == 0 ? 3 * FS : cycles * cycle;
        short[] x = generate(spec, total, 160);

        // 1. every sample equals the ideal gated, ramped sum of sines (within rounding)
        double amplitude = Dbm0.peakAmplitude(spec.levelDbm0PerFrequency());
        int maxError = 0;
        for (int n = 0; n < total; n++) {
            double ideal = 0;
            for (int f : spec.frequenciesHz()) {
                ideal += amplitude * Math.sin(2 * Math.PI * f * (double) n / FS);
            }
            maxError = Math.max(maxError, (int) Math.abs(x[n] - Math.round(ideal * envelope(cadence, n))));
        }
        assertThat(maxError).isLessThanOrEqualTo(1);

        // 2. bursts and gaps measured from the audio alone: gaps are exactly silent, and the measured lengths
        // match the cadence to 2 samples (a burst's first and last fade-in samples may round to zero)
        if (cadence.length == 0) {
            assertThat(longestZeroRun(x)).isLessThan(3);
            return;
        }
        List<int[]> bursts = bursts(x);
        int expectedBursts = cycles * cadence.length / 2;
        assertThat(bursts).hasSize(expectedBursts);
        for (int i = 0; i < bursts.size(); i++) {
            int on = cadence[(2 * i) % cadence.length] * FS / 1000;
            int off = cadence[(2 * i + 1) % cadence.length] * FS / 1000;
            int[] b = bursts.get(i);
            assertThat(b[1] - b[0]).as("burst %d length", i).isBetween(on - 4, on);
            if (i + 1 < bursts.size()) {
                assertThat(bursts.get(i + 1)[0] - b[1]).as("gap %d length", i).isBetween(off, off + 4);
            }
        }
        // and the bursts start exactly where the cadence says (to the fade-in's first samples)
        int start = 0;
        for (int i = 0; i < bursts.size(); i++) {
            assertThat(bursts.get(i)[0] - start).isBetween(0, 2);
            start += (cadence[(2 * i) % cadence.length] + cadence[(2 * i + 1) % cadence.length]) * FS / 1000;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allTones")
    void noClicksAtFrameEdgesOrCadenceEdges(Country c, Tone t) {
        ToneSpec spec = CallProgressTones.spec(c, t);
        int total = Math.max(2 * Arrays.stream(spec.cadenceMs()).sum() * FS / 1000, FS * 3);
        short[] x = generate(spec, total, 160);
        // the steepest a steady sum of these sines can be between two samples
        double amplitude = Dbm0.peakAmplitude(spec.levelDbm0PerFrequency());
        double bound = 2; // rounding
        for (int f : spec.frequenciesHz()) {
            bound += 2 * amplitude * Math.sin(Math.PI * f / FS);
        }
        int worstAnywhere = 0;
        int worstAtFrameEdge = 0;
        for (int n = 1; n < x.length; n++) {
            int step = Math.abs(x[n] - x[n - 1]);
            worstAnywhere = Math.max(worstAnywhere, step);
            if (n % 160 == 0) {
                worstAtFrameEdge = Math.max(worstAtFrameEdge, step);
            }
        }
        assertThat((double) worstAtFrameEdge).isLessThanOrEqualTo(bound);
        assertThat((double) worstAnywhere).isLessThanOrEqualTo(bound);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allTones")
    void dtmfDetectorReportsNoDigits(Country c, Tone t) {
        ToneSpec spec = CallProgressTones.spec(c, t);
        int total = Math.max(2 * Arrays.stream(spec.cadenceMs()).sum() * FS / 1000, FS * 20);
        Signals.Detection r = Signals.detect(generate(spec, total, 160));
        assertThat(r.digits()).isEmpty();
        assertThat(r.rejected()).isZero();
    }

    // --- helpers ---

    static short[] generate(ToneSpec spec, int samples, int frameSize) {
        ToneGenerator g = new ToneGenerator(spec);
        short[] out = new short[samples];
        short[] frame = new short[frameSize];
        for (int o = 0; o < samples; o += frameSize) {
            assertThat(g.read(frame)).isTrue();
            System.arraycopy(frame, 0, out, o, Math.min(frameSize, samples - o));
        }
        return out;
    }

    /** {start, length} of a stretch at full level: the first burst without its fades, or 1 s of a continuous tone. */
    static int[] steadyWindow(ToneSpec spec) {
        int r = ToneGenerator.RAMP_SAMPLES;
        return spec.continuous() ? new int[] {0, FS} : new int[] {r, spec.cadenceMs()[0] * FS / 1000 - 2 * r};
    }

    /** The generator's documented envelope: 0 when off, 2 ms raised-cosine fades inside each burst. */
    static double envelope(int[] cadenceMs, int n) {
        if (cadenceMs.length == 0) {
            return 1;
        }
        int cycle = Arrays.stream(cadenceMs).sum() * FS / 1000;
        int pos = n % cycle;
        for (int i = 0; i < cadenceMs.length; i++) {
            int len = cadenceMs[i] * FS / 1000;
            if (pos < len) {
                if (i % 2 == 1) {
                    return 0;
                }
                int edge = Math.min(pos, len - 1 - pos);
                int r = ToneGenerator.RAMP_SAMPLES;
                return edge >= r ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * (edge + 0.5) / r);
            }
            pos -= len;
        }
        throw new AssertionError();
    }

    /** Peak amplitude of the component at {@code f} (single-bin DFT). */
    static double amplitudeAt(short[] x, int from, int length, double f) {
        double re = 0;
        double im = 0;
        for (int n = 0; n < length; n++) {
            double ph = 2 * Math.PI * f * n / FS;
            re += x[from + n] * Math.cos(ph);
            im -= x[from + n] * Math.sin(ph);
        }
        return 2 * Math.hypot(re, im) / length;
    }

    /** Local maxima {frequency, magnitude} of a Blackman-windowed spectrum, strongest first. */
    static List<double[]> peaks(short[] x, int from, int length) {
        double[] w = new double[length];
        for (int n = 0; n < length; n++) {
            double t = 2 * Math.PI * (n + 0.5) / length;
            w[n] = x[from + n] * (0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t));
        }
        int steps = (2000 - 200) * 2 + 1;
        double[] mag = new double[steps];
        for (int i = 0; i < steps; i++) {
            double f = 200 + i * 0.5;
            double c = 2 * Math.cos(2 * Math.PI * f / FS);
            double s1 = 0;
            double s2 = 0;
            for (double v : w) { // Goertzel
                double s0 = v + c * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            mag[i] = Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2));
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 1; i + 1 < steps; i++) {
            if (mag[i] > mag[i - 1] && mag[i] >= mag[i + 1]) {
                out.add(new double[] {200 + i * 0.5, mag[i]});
            }
        }
        out.sort((a, b) -> Double.compare(b[1], a[1]));
        return out;
    }

    /** {first, end} sample indexes of each stretch of sound, split at runs of 8 or more zero samples. */
    static List<int[]> bursts(short[] x) {
        List<int[]> out = new ArrayList<>();
        int n = 0;
        while (n < x.length) {
            while (n < x.length && x[n] == 0) {
                n++;
            }
            if (n == x.length) {
                break;
            }
            int start = n;
            int lastNonZero = n;
            while (n < x.length && n - lastNonZero < 8) {
                if (x[n] != 0) {
                    lastNonZero = n;
                }
                n++;
            }
            out.add(new int[] {start, lastNonZero + 1});
        }
        return out;
    }

    static int longestZeroRun(short[] x) {
        int longest = 0;
        int run = 0;
        for (short v : x) {
            run = v == 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static int lcm(int a, int b) {
        return a / gcd(a, b) * b;
    }
}
