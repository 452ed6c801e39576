package org.switchboard.media.dsp;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Call-progress tone plans.
 *
 * <table>
 *   <caption>Frequencies (Hz) and cadences (s on / s off)</caption>
 *   <tr><th></th><th>CN (GB 3380 / YD)</th><th>US (precise tone plan)</th><th>EU (ETSI TR 101 041)</th></tr>
 *   <tr><td>dial</td><td>450 continuous</td><td>350+440 continuous</td><td>425 continuous</td></tr>
 *   <tr><td>ringback</td><td>450 1/4</td><td>440+480 2/4</td><td>425 1/4</td></tr>
 *   <tr><td>busy</td><td>450 0.35/0.35</td><td>480+620 0.5/0.5</td><td>425 0.5/0.5</td></tr>
 *   <tr><td>congestion</td><td>450 0.7/0.7</td><td>480+620 0.25/0.25 (reorder)</td><td>425 0.25/0.25</td></tr>
 *   <tr><td>call waiting</td><td>450 0.4/4</td><td>440 0.3/9.7</td><td>425 0.2/0.2/0.2/4.4</td></tr>
 * </table>
 *
 * <p>Levels: a single-frequency tone is sent at {@value #SINGLE_LEVEL_DBM0} dBm0; a dual-frequency tone at
 * {@value #DUAL_LEVEL_DBM0} dBm0 per frequency, so that its total power is also -13 dBm0 and every tone
 * sounds about as loud. This is one level for all tones, in the range national plans use (around -10 to
 * -13 dBm0; the US precise tone plan sends dial tone at -13 dBm0 per frequency and lowers ringback and
 * busy, which a deployment can do by building its own {@link ToneSpec}).
 */
public final class CallProgressTones {

    /** Level of a single-frequency tone. */
    public static final double SINGLE_LEVEL_DBM0 = -13.0;
    /** Level per frequency of a dual-frequency tone (-13 dBm0 total). */
    public static final double DUAL_LEVEL_DBM0 = -16.0;

    private static final Map<Country, Map<Tone, ToneSpec>> PLANS = new EnumMap<>(Country.class);

    static {
        Map<Tone, ToneSpec> cn = new EnumMap<>(Tone.class);
        cn.put(Tone.DIAL, single(450));
        cn.put(Tone.RINGBACK, single(450, 1000, 4000));
        cn.put(Tone.BUSY, single(450, 350, 350));
        cn.put(Tone.CONGESTION, single(450, 700, 700));
        cn.put(Tone.CALL_WAITING, single(450, 400, 4000));
        PLANS.put(Country.CN, cn);

        Map<Tone, ToneSpec> us = new EnumMap<>(Tone.class);
        us.put(Tone.DIAL, dual(350, 440));
        us.put(Tone.RINGBACK, dual(440, 480, 2000, 4000));
        us.put(Tone.BUSY, dual(480, 620, 500, 500));
        us.put(Tone.CONGESTION, dual(480, 620, 250, 250));
        us.put(Tone.CALL_WAITING, single(440, 300, 9700));
        PLANS.put(Country.US, us);

        Map<Tone, ToneSpec> eu = new EnumMap<>(Tone.class);
        eu.put(Tone.DIAL, single(425));
        eu.put(Tone.RINGBACK, single(425, 1000, 4000));
        eu.put(Tone.BUSY, single(425, 500, 500));
        eu.put(Tone.CONGESTION, single(425, 250, 250));
        eu.put(Tone.CALL_WAITING, single(425, 200, 200, 200, 4400));
        PLANS.put(Country.EU, eu);
    }

    private CallProgressTones() {
    }

    /** The tone {@code t} of country {@code c}. */
    public static ToneSpec spec(Country c, Tone t) {
        return PLANS.get(Objects.requireNonNull(c, "country")).get(Objects.requireNonNull(t, "tone"));
    }

    private static ToneSpec single(int hz, int... cadenceMs) {
        return new ToneSpec(new int[] {hz}, SINGLE_LEVEL_DBM0, cadenceMs);
    }

    private static ToneSpec dual(int hz1, int hz2, int... cadenceMs) {
        return new ToneSpec(new int[] {hz1, hz2}, DUAL_LEVEL_DBM0, cadenceMs);
    }
}
