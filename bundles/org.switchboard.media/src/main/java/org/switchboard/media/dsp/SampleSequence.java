package org.switchboard.media.dsp;

import java.util.Arrays;
import java.util.List;

import org.switchboard.core.api.AudioSource;

/**
 * Clips of 8 kHz samples already in memory (prompts, a beep) played one after the other; the
 * last frame is padded with silence. Nothing allocated per frame, nothing read from disk.
 */
public final class SampleSequence implements AudioSource {

    private final short[][] parts;
    private int part;
    private int pos;

    /** @param parts the clips, in order; the arrays are shared, not copied, and must not change */
    public SampleSequence(List<short[]> parts) {
        this.parts = parts.toArray(new short[0][]);
    }

    @Override
    public boolean read(short[] frame) {
        if (part >= parts.length) {
            return false;
        }
        int filled = 0;
        while (filled < frame.length && part < parts.length) {
            int n = Math.min(frame.length - filled, parts[part].length - pos);
            System.arraycopy(parts[part], pos, frame, filled, n);
            filled += n;
            pos += n;
            if (pos >= parts[part].length) {
                part++;
                pos = 0;
            }
        }
        Arrays.fill(frame, filled, frame.length, (short) 0);
        return true;
    }
}
