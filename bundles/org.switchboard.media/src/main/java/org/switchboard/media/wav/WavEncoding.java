package org.switchboard.media.wav;

/**
 * Sample encodings the appliance stores in WAV files: the two G.711 laws used on the wire, and
 * 16-bit linear PCM for anything edited or mixed. The WAV format tag and sample width are kept
 * here so reader and writer cannot disagree about them.
 */
public enum WavEncoding {
    /** Signed 16-bit little-endian linear PCM, WAVE_FORMAT_PCM (1). */
    PCM16(1, 16),
    /** G.711 A-law, WAVE_FORMAT_ALAW (6). */
    ALAW(6, 8),
    /** G.711 µ-law, WAVE_FORMAT_MULAW (7). */
    ULAW(7, 8);

    private final int formatTag;
    private final int bitsPerSample;

    WavEncoding(int formatTag, int bitsPerSample) {
        this.formatTag = formatTag;
        this.bitsPerSample = bitsPerSample;
    }

    /** The wFormatTag value (or extensible subformat) that identifies this encoding. */
    public int formatTag() {
        return formatTag;
    }

    /** Bits per stored sample: 16 for PCM16, 8 for the G.711 laws. */
    public int bitsPerSample() {
        return bitsPerSample;
    }

    /** Bytes per stored sample of one channel. */
    public int bytesPerSample() {
        return bitsPerSample / 8;
    }

    /** The encoding with this format tag, or null if the tag is not one we support. */
    static WavEncoding forTag(int tag) {
        for (WavEncoding e : values()) {
            if (e.formatTag == tag) {
                return e;
            }
        }
        return null;
    }
}
