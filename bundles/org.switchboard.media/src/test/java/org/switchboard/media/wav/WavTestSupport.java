package org.switchboard.media.wav;

import java.io.IOException;
import java.util.Arrays;
import java.nio.file.Path;

/** Small helpers shared by the WAV tests. */
final class WavTestSupport {

    private WavTestSupport() {
    }

    /** Reads every frame through the streaming API, in deliberately awkward piece sizes. */
    static short[] readAll(WavReader r) throws IOException {
        int channels = r.format().channels();
        short[] out = new short[1024 * channels];
        int total = 0;
        int piece = 1;
        short[] buf = new short[3 + 1500 * channels];
        int got;
        while ((got = r.read(buf, 3, piece)) != -1) {
            if ((total + got) * channels > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, (total + got) * channels));
            }
            System.arraycopy(buf, 3, out, total * channels, got * channels);
            total += got;
            piece = piece * 7 % 1499 + 1; // varies between 1 and 1499 frames
        }
        return Arrays.copyOf(out, total * channels);
    }

    static short[] readAll(Path file) throws IOException {
        try (WavReader r = WavReader.open(file)) {
            return readAll(r);
        }
    }
}
