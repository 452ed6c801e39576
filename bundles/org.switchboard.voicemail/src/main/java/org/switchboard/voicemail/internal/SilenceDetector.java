package org.switchboard.voicemail.internal;

/**
 * Tells when a caller has stopped talking: after some voice, {@code silenceFrames} frames in a
 * row whose peak stays under the threshold (line noise on analog lines sits well under it).
 * Allocation-free; runs on the media clock.
 */
final class SilenceDetector {

    /** Peak under which a frame is silence (about -42 dBm0). */
    static final int THRESHOLD = 256;

    private final int silenceFrames;
    private int quiet;
    private boolean voiced;

    SilenceDetector(int silenceFrames) {
        this.silenceFrames = silenceFrames;
    }

    /** @return true when the message is over by silence */
    boolean frame(short[] f, boolean heard) {
        int peak = 0;
        if (heard) {
            for (short s : f) {
                int a = s < 0 ? -s : s;
                if (a > peak) {
                    peak = a;
                }
            }
        }
        if (peak >= THRESHOLD) {
            voiced = true;
            quiet = 0;
            return false;
        }
        quiet++;
        return voiced && quiet >= silenceFrames || !voiced && quiet >= 2 * silenceFrames;
    }
}
