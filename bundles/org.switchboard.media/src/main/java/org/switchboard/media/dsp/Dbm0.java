package org.switchboard.media.dsp;

/**
 * Level reference shared by the detectors and generators of this package.
 *
 * <p>Reference: a sine wave of peak amplitude {@value #ZERO_DBM0_PEAK} in 16-bit linear PCM is 0 dBm0.
 * That is what the G.711 "digital milliwatt" (the 1 kHz 0 dBm0 test sequence of G.711 Tables 5/6)
 * decodes to, and it is consistent with a full-scale µ-law / A-law sine being +3.17 / +3.14 dBm0.
 * Levels are always expressed as the power of one sine relative to that reference, so a sine of
 * peak {@code a} is {@code 20·log10(a / 22706)} dBm0.
 */
public final class Dbm0 {

    /** Peak amplitude (16-bit linear) of a 0 dBm0 sine. */
    public static final double ZERO_DBM0_PEAK = 22706.0;

    private Dbm0() {
    }

    /** Peak amplitude of a sine at {@code dbm0}. */
    public static double peakAmplitude(double dbm0) {
        return ZERO_DBM0_PEAK * Math.pow(10.0, dbm0 / 20.0);
    }

    /** Level in dBm0 of a sine with the given peak amplitude. */
    public static double ofPeakAmplitude(double peak) {
        return 20.0 * Math.log10(peak / ZERO_DBM0_PEAK);
    }

    /** Level in dBm0 of a signal with the given mean-square value (any waveform, power based). */
    public static double ofMeanSquare(double meanSquare) {
        return 10.0 * Math.log10(meanSquare / (ZERO_DBM0_PEAK * ZERO_DBM0_PEAK / 2.0));
    }
}
