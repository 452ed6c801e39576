package org.switchboard.media.wav;

import java.util.Objects;

/**
 * Encoding, sample rate and channel count of a WAV file. Validated on construction so a writer
 * can never produce a header that our own reader would reject.
 *
 * @param encoding   how samples are stored
 * @param sampleRate sample frames per second, positive
 * @param channels   1 (mono) or 2 (stereo, interleaved)
 */
public record WavFormat(WavEncoding encoding, int sampleRate, int channels) {

    /** Telephony default: 8 kHz mono. */
    public static WavFormat mono8k(WavEncoding encoding) {
        return new WavFormat(encoding, 8000, 1);
    }

    public WavFormat {
        Objects.requireNonNull(encoding, "encoding");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
        }
    }

    /** Bytes per sample frame (all channels), i.e. the WAV nBlockAlign. */
    public int blockAlign() {
        return channels * encoding.bytesPerSample();
    }
}
