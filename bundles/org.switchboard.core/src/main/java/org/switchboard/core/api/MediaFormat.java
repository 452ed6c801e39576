package org.switchboard.core.api;

/** The one internal audio format: 16-bit linear PCM, mono, 8 kHz, in frames of 20 ms. */
public final class MediaFormat {

    public static final int SAMPLE_RATE = 8000;
    public static final int FRAME_MILLIS = 20;
    public static final int SAMPLES_PER_FRAME = SAMPLE_RATE * FRAME_MILLIS / 1000;
    public static final long FRAME_NANOS = FRAME_MILLIS * 1_000_000L;

    private MediaFormat() {
    }

    /** A new frame buffer; allocate once per leg or source, never per tick. */
    public static short[] newFrame() {
        return new short[SAMPLES_PER_FRAME];
    }
}
