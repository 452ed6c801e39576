package org.switchboard.media.dsp;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a call-progress tone sounds like.
 *
 * @param frequenciesHz          the frequencies summed together (1 or 2 in practice), each below 4000 Hz
 * @param levelDbm0PerFrequency  level of each frequency in dBm0 (see {@link Dbm0} for the reference)
 * @param cadenceMs              on, off, on, off... durations in ms, repeated; empty for a continuous tone
 */
public record ToneSpec(int[] frequenciesHz, double levelDbm0PerFrequency, int[] cadenceMs) {

    /** Copies the arrays (records do not) so that a spec handed out by {@link CallProgressTones} stays as it is. */
    public ToneSpec {
        Objects.requireNonNull(frequenciesHz, "frequenciesHz");
        Objects.requireNonNull(cadenceMs, "cadenceMs");
        frequenciesHz = frequenciesHz.clone();
        cadenceMs = cadenceMs.clone();
        if (frequenciesHz.length == 0) {
            throw new IllegalArgumentException("at least one frequency");
        }
        for (int f : frequenciesHz) {
            if (f <= 0 || f >= 4000) {
                throw new IllegalArgumentException("frequency must be in 1..3999 Hz: " + f);
            }
        }
        if (cadenceMs.length % 2 != 0) {
            throw new IllegalArgumentException("cadence must be on/off pairs: " + Arrays.toString(cadenceMs));
        }
        for (int ms : cadenceMs) {
            if (ms <= 0) {
                throw new IllegalArgumentException("cadence durations must be positive: " + Arrays.toString(cadenceMs));
            }
        }
        if (!(levelDbm0PerFrequency <= 3.0)) {
            throw new IllegalArgumentException("level above +3 dBm0 cannot be coded: " + levelDbm0PerFrequency);
        }
    }

    @Override
    public int[] frequenciesHz() {
        return frequenciesHz.clone();
    }

    @Override
    public int[] cadenceMs() {
        return cadenceMs.clone();
    }

    /** True when the tone never pauses. */
    public boolean continuous() {
        return cadenceMs.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToneSpec t
                && Arrays.equals(frequenciesHz, t.frequenciesHz)
                && Double.compare(levelDbm0PerFrequency, t.levelDbm0PerFrequency) == 0
                && Arrays.equals(cadenceMs, t.cadenceMs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(frequenciesHz), levelDbm0PerFrequency, Arrays.hashCode(cadenceMs));
    }

    @Override
    public String toString() {
        return "ToneSpec" + Arrays.toString(frequenciesHz) + " Hz @ " + levelDbm0PerFrequency + " dBm0 each, cadence "
                + (cadenceMs.length == 0 ? "continuous" : Arrays.toString(cadenceMs) + " ms");
    }
}
