package org.switchboard.media.wav;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.switchboard.media.codec.G711;

/** Builds WAV files byte by byte, so tests can produce exactly the defects they are about. */
final class WavBytes {

    private WavBytes() {
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A chunk with its true size, padded to even length. */
    static byte[] chunk(String id, byte[] payload) {
        return chunk(id, payload.length, payload, true);
    }

    /** A chunk with an arbitrary size field, optionally without the pad byte. */
    static byte[] chunk(String id, long sizeField, byte[] payload, boolean pad) {
        byte[] p = pad && (payload.length & 1) != 0 ? concat(payload, new byte[1]) : payload;
        return concat(ascii(id), u32(sizeField), p);
    }

    /** A 16-byte fmt chunk with consistent block align and byte rate. */
    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return chunk("fmt ", concat(u16(tag), u16(channels), u32(rate), u32((long) rate * align), u16(align), u16(bits)));
    }

    /** The 18-byte fmt (cbSize 0) that sox writes for A-law and µ-law. */
    static byte[] fmt18(int tag, int channels, int rate) {
        return chunk("fmt ", concat(u16(tag), u16(channels), u32(rate), u32((long) rate * channels), u16(channels),
                u16(8), u16(0)));
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt with a standard subformat GUID. */
    static byte[] fmtExtensible(int subTag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        byte[] guidTail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
            (byte) 0x9B, 0x71};
        return chunk("fmt ", concat(u16(0xFFFE), u16(channels), u32(rate), u32((long) rate * align), u16(align),
                u16(bits), u16(22), u16(bits), u32(channels == 1 ? 4 : 3), u16(subTag), guidTail));
    }

    static byte[] fact(long frames) {
        return chunk("fact", u32(frames));
    }

    /** RIFF/WAVE container with a correct RIFF size around the given chunks. */
    static byte[] riff(byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat(ascii("RIFF"), u32(body.length + 4L), ascii("WAVE"), body);
    }

    static byte[] pcm16(short[] samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            b[2 * i] = (byte) samples[i];
            b[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return b;
    }

    static byte[] alaw(short[] samples) {
        byte[] b = new byte[samples.length];
        G711.encodeAlaw(samples, 0, b, 0, samples.length);
        return b;
    }

    static byte[] ulaw(short[] samples) {
        byte[] b = new byte[samples.length];
        G711.encodeUlaw(samples, 0, b, 0, samples.length);
        return b;
    }

    /** Bytes of {@code samples} stored in {@code encoding}. */
    static byte[] encode(WavEncoding encoding, short[] samples) {
        return switch (encoding) {
            case PCM16 -> pcm16(samples);
            case ALAW -> alaw(samples);
            case ULAW -> ulaw(samples);
        };
    }

    /** What a reader must return for {@code samples} stored in {@code encoding}. */
    static short[] expectedDecode(WavEncoding encoding, short[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = switch (encoding) {
                case PCM16 -> samples[i];
                case ALAW -> G711.alawToLinear(G711.linearToAlaw(samples[i]));
                case ULAW -> G711.ulawToLinear(G711.linearToUlaw(samples[i]));
            };
        }
        return out;
    }

    /** Deterministic noise covering the full 16-bit range. */
    static short[] noise(long seed, int count) {
        Random r = new Random(seed);
        short[] s = new short[count];
        for (int i = 0; i < count; i++) {
            s[i] = (short) r.nextInt();
        }
        return s;
    }

    /** A complete, canonical file: fmt (sox style for G.711), fact for G.711, data. */
    static byte[] file(WavEncoding encoding, int channels, int rate, short[] samples) {
        byte[] data = encode(encoding, samples);
        if (encoding == WavEncoding.PCM16) {
            return riff(fmt(1, channels, rate, 16), chunk("data", data));
        }
        return riff(fmt18(encoding.formatTag(), channels, rate), fact(samples.length / channels), chunk("data", data));
    }
}
