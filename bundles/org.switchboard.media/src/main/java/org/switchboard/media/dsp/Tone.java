package org.switchboard.media.dsp;

/** Call-progress tones a switchboard plays towards a caller. */
public enum Tone {
    DIAL, RINGBACK, BUSY, CONGESTION, CALL_WAITING
}
