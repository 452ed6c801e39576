package org.switchboard.ivr.internal;

import java.util.List;

import org.switchboard.core.api.AudioSource;

/** Prompts played one after the other from memory; nothing allocated per frame. */
final class PromptAudio implements AudioSource {

    private final short[][] parts;
    private int part;
    private int pos;

    PromptAudio(List<short[]> parts) {
        this.parts = parts.toArray(new short[0][]);
    }

    @Override
    public boolean read(short[] frame) {
        if (part >= parts.length) {
            return false;
        }
        int filled = 0;
        while (filled < frame.length && part < parts.length) {
            short[] p = parts[part];
            int n = Math.min(frame.length - filled, p.length - pos);
            System.arraycopy(p, pos, frame, filled, n);
            filled += n;
            pos += n;
            if (pos >= p.length) {
                part++;
                pos = 0;
            }
        }
        for (int i = filled; i < frame.length; i++) {
            frame[i] = 0;
        }
        return true;
    }
}
