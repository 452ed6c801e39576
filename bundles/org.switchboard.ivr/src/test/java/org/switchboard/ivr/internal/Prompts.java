package org.switchboard.ivr.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.switchboard.media.wav.WavEncoding;
import org.switchboard.media.wav.WavFormat;
import org.switchboard.media.wav.WavWriter;

/** Test prompts: short 8 kHz WAV files in PROMPTS/LANG/NAME.wav. */
final class Prompts {

    static final String[] NAMES = {"welcome", "menu-main", "invalid", "timeout", "goodbye", "after-hours", "english"};

    private Prompts() {
    }

    static PromptStore make(Path root, String... languages) throws Exception {
        for (String l : languages) {
            Files.createDirectories(root.resolve(l));
            for (String n : NAMES) {
                try (WavWriter w = WavWriter.create(root.resolve(l).resolve(n + ".wav"), WavFormat.mono8k(WavEncoding.PCM16))) {
                    short[] s = new short[800];
                    w.write(s, 0, s.length);
                }
            }
        }
        return new PromptStore(root);
    }
}
