package org.switchboard.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.media.dsp.CallProgressTonesTest.envelope;
import static org.switchboard.media.dsp.CallProgressTonesTest.generate;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Properties of {@link ToneGenerator} and {@link ToneSpec} beyond the national tone plans. */
class ToneGeneratorTest {

    private static final int FS = 8000;

    /** Cadence edges at arbitrary phases, and a 3 ms burst shorter than two fades. */
    private static final ToneSpec ODD = new ToneSpec(new int[] {1000, 1300}, -10, new int[] {33, 17, 3, 9});

    @Test
    void outputDoesNotDependOnFrameSize() {
        for (ToneSpec spec : new ToneSpec[] {ODD, CallProgressTones.spec(Country.EU, Tone.CALL_WAITING),
                CallProgressTones.spec(Country.CN, Tone.BUSY), CallProgressTones.spec(Country.US, Tone.DIAL)}) {
            short[] reference = generate(spec, FS * 6, 160);
            for (int size : new int[] {1, 7, 80, 333, 1000}) {
                assertThat(generate(spec, FS * 6, size)).as("%s in frames of %d", spec, size).isEqualTo(reference);
            }
        }
    }

    @Test
    void arbitraryCadenceFollowsTheEnvelopeAndNeverClicks() {
        short[] x = generate(ODD, FS * 2, 160);
        double a = Dbm0.peakAmplitude(-10);
        double bound = 2 + 2 * a * (Math.sin(Math.PI * 1000 / FS) + Math.sin(Math.PI * 1300 / FS));
        for (int n = 0; n < x.length; n++) {
            double ideal = a * (Math.sin(2 * Math.PI * 1000 * n / FS) + Math.sin(2 * Math.PI * 1300 * n / FS));
            assertThat(Math.abs(x[n] - Math.round(ideal * envelope(ODD.cadenceMs(), n)))).isLessThanOrEqualTo(1);
            if (n > 0) {
                assertThat((double) Math.abs(x[n] - x[n - 1])).as("step at %d", n).isLessThanOrEqualTo(bound);
            }
        }
        // the 3 ms burst (24 samples) is there, if never at full level
        int cycle = (33 + 17 + 3 + 9) * 8;
        int shortBurst = (33 + 17) * 8;
        int peak = 0;
        for (int n = shortBurst; n < shortBurst + 24; n++) {
            peak = Math.max(peak, Math.abs(x[cycle + n]));
        }
        assertThat(peak).isPositive();
        for (int n = shortBurst + 24; n < cycle; n++) {
            assertThat(x[cycle + n]).isZero();
        }
    }

    @Test
    void phaseDoesNotDriftOverTenMinutes() {
        ToneSpec spec = CallProgressTones.spec(Country.US, Tone.DIAL);
        ToneGenerator g = new ToneGenerator(spec);
        short[] frame = new short[160];
        int frames = 10 * 60 * 50;
        for (int i = 0; i < frames; i++) {
            g.read(frame);
        }
        g.read(frame);
        double a = Dbm0.peakAmplitude(-16);
        long n0 = (long) frames * 160;
        for (int k = 0; k < 160; k++) {
            long n = n0 + k;
            // exact phase: (f·n mod fs) / fs cycles
            double ideal = a * (Math.sin(2 * Math.PI * (350 * n % FS) / FS) + Math.sin(2 * Math.PI * (440 * n % FS) / FS));
            assertThat(Math.abs(frame[k] - Math.round(ideal))).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void doesNotAllocatePerFrame() {
        ToneGenerator g = new ToneGenerator(CallProgressTones.spec(Country.EU, Tone.CALL_WAITING));
        short[] frame = new short[160];
        for (int i = 0; i < 50_000; i++) { // warm-up: let the JIT compile read()
            g.read(frame);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long b0 = mx.getThreadAllocatedBytes(id);
        long b1 = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10_000; i++) {
            g.read(frame);
        }
        long b2 = mx.getThreadAllocatedBytes(id);
        assertThat((b2 - b1) - (b1 - b0)).isZero();
    }

    @Test
    void specCopiesItsArraysAndComparesByValue() {
        int[] freqs = {350, 440};
        int[] cadence = {500, 500};
        ToneSpec spec = new ToneSpec(freqs, -16, cadence);
        freqs[0] = 1;
        cadence[0] = 1;
        spec.frequenciesHz()[1] = 2;
        spec.cadenceMs()[1] = 2;
        assertThat(spec.frequenciesHz()).containsExactly(350, 440);
        assertThat(spec.cadenceMs()).containsExactly(500, 500);
        assertThat(spec).isEqualTo(new ToneSpec(new int[] {350, 440}, -16, new int[] {500, 500}))
                .hasSameHashCodeAs(new ToneSpec(new int[] {350, 440}, -16, new int[] {500, 500}));
    }

    @Test
    void specRejectsNonsense() {
        assertThatThrownBy(() -> new ToneSpec(new int[0], -13, new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToneSpec(new int[] {4000}, -13, new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToneSpec(new int[] {0}, -13, new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToneSpec(new int[] {425}, -13, new int[] {500})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToneSpec(new int[] {425}, -13, new int[] {500, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToneSpec(new int[] {425}, 6, new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToneSpec(new int[] {425}, Double.NaN, new int[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
