package org.switchboard.media.dsp;

/** Tone plans supported by {@link CallProgressTones}. */
public enum Country {
    /** China: GB 3380 / YD (posts and telecommunications) standard, 450 Hz tones. */
    CN,
    /** United States: the "precise tone plan" (Bellcore/Telcordia LSSGR). */
    US,
    /** Europe: the harmonised 425 Hz tones (ETSI TR 101 041, ITU-T E.180). */
    EU
}
