package org.switchboard.line.serial.internal.audio;

import org.switchboard.media.codec.G711;

/**
 * How a line's voice samples travel over the serial port: 8 kHz, in one of the sample formats
 * voice modems offer (V.253 AT+VSM) or raw 16-bit PCM as GSM modules send it on their audio port.
 * Encoding and decoding use caller-owned arrays and allocate nothing.
 */
public enum VoiceFormat {
    /** G.711 µ-law, one byte per sample. */
    ULAW(1, "8-bit u-law"),
    /** G.711 A-law, one byte per sample. */
    ALAW(1, "8-bit A-law"),
    /** 8-bit unsigned linear (0x80 is silence). */
    LINEAR8(1, "8-bit unsigned linear"),
    /** 16-bit signed linear, little-endian. */
    LINEAR16(2, "16-bit signed linear");

    private final int bytesPerSample;
    private final String label;

    VoiceFormat(int bytesPerSample, String label) {
        this.bytesPerSample = bytesPerSample;
        this.label = label;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Bytes per second at 8 kHz. */
    public int bytesPerSecond() {
        return 8000 * bytesPerSample;
    }

    public String label() {
        return label;
    }

    /** Encodes {@code n} samples to {@code out}; returns the byte count. */
    public int encode(short[] in, int n, byte[] out) {
        switch (this) {
            case ULAW -> G711.encodeUlaw(in, 0, out, 0, n);
            case ALAW -> G711.encodeAlaw(in, 0, out, 0, n);
            case LINEAR8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) ((in[i] >> 8) + 128);
                }
            }
            case LINEAR16 -> {
                for (int i = 0; i < n; i++) {
                    out[2 * i] = (byte) in[i];
                    out[2 * i + 1] = (byte) (in[i] >> 8);
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return n * bytesPerSample;
    }

    /** Decodes one sample from one byte (8-bit formats only). */
    public short decode8(byte b) {
        return switch (this) {
            case ULAW -> G711.ulawToLinear(b);
            case ALAW -> G711.alawToLinear(b);
            case LINEAR8 -> (short) (((b & 0xFF) - 128) << 8);
            case LINEAR16 -> throw new IllegalStateException("16-bit samples need two bytes");
        };
    }
}
