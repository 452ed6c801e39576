package org.switchboard.media.codec;

/**
 * ITU-T G.711 A-law and µ-law companding, bit-exact with the classic Sun/CCITT reference
 * implementation (the one sox and most telephony stacks use), so that audio we encode is
 * indistinguishable from audio produced by other equipment.
 *
 * <p>All conversions are table lookups: decoding uses two 256-entry tables and encoding uses
 * two 64 Ki-entry tables indexed by the raw 16-bit sample. The encode tables cost 128 KiB once
 * but make the per-sample cost a single load, which beats the segment search of the bit
 * algorithm; the bit algorithm is kept only to build the tables. Nothing allocates per call.
 *
 * <p>The companding core is the Sun/CCITT one. Sox (our test oracle, and the tool prompts are
 * prepared with) feeds that core with the 16-bit sample <em>rounded</em> to the nearest 14-bit
 * (µ-law) or 13-bit (A-law) value, ties upward, clipping the few positive inputs that round past
 * full scale; the bare Sun {@code linear2ulaw(int)} truncates instead. We follow sox so that files
 * we encode are byte-identical to what sox produces from the same samples. Decoding is identical in both.
 */
public final class G711 {

    /** µ-law bias, in the 14-bit domain the reference works in (0x84 >> 2). */
    private static final int ULAW_BIAS = 0x21;
    /** Largest 14-bit magnitude µ-law can represent before the bias pushes it out of range. */
    private static final int ULAW_CLIP = 8159;
    /** Largest 14-bit and 13-bit two's-complement values, where rounding up must saturate. */
    private static final int MAX_14 = 8191;
    private static final int MAX_13 = 4095;

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    private static final byte[] ULAW_ENCODE = new byte[65536];
    private static final byte[] ALAW_ENCODE = new byte[65536];

    static {
        for (int code = 0; code < 256; code++) {
            ULAW_DECODE[code] = (short) computeUlawToLinear(code);
            ALAW_DECODE[code] = (short) computeAlawToLinear(code);
        }
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            ULAW_ENCODE[i] = (byte) computeLinearToUlaw(s);
            ALAW_ENCODE[i] = (byte) computeLinearToAlaw(s);
        }
    }

    private G711() {
    }

    /** Encodes one 16-bit linear sample to a µ-law code. */
    public static byte linearToUlaw(short s) {
        return ULAW_ENCODE[s & 0xFFFF];
    }

    /** Decodes one µ-law code to a 16-bit linear sample. */
    public static short ulawToLinear(byte b) {
        return ULAW_DECODE[b & 0xFF];
    }

    /** Encodes one 16-bit linear sample to an A-law code (even bits already inverted). */
    public static byte linearToAlaw(short s) {
        return ALAW_ENCODE[s & 0xFFFF];
    }

    /** Decodes one A-law code to a 16-bit linear sample. */
    public static short alawToLinear(byte b) {
        return ALAW_DECODE[b & 0xFF];
    }

    /** Encodes {@code n} samples from {@code in[inOff..]} to µ-law codes in {@code out[outOff..]}. */
    public static void encodeUlaw(short[] in, int inOff, byte[] out, int outOff, int n) {
        checkRanges(in.length, inOff, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ULAW_ENCODE[in[inOff + i] & 0xFFFF];
        }
    }

    /** Decodes {@code n} µ-law codes from {@code in[inOff..]} to linear samples in {@code out[outOff..]}. */
    public static void decodeUlaw(byte[] in, int inOff, short[] out, int outOff, int n) {
        checkRanges(in.length, inOff, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ULAW_DECODE[in[inOff + i] & 0xFF];
        }
    }

    /** Encodes {@code n} samples from {@code in[inOff..]} to A-law codes in {@code out[outOff..]}. */
    public static void encodeAlaw(short[] in, int inOff, byte[] out, int outOff, int n) {
        checkRanges(in.length, inOff, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ALAW_ENCODE[in[inOff + i] & 0xFFFF];
        }
    }

    /** Decodes {@code n} A-law codes from {@code in[inOff..]} to linear samples in {@code out[outOff..]}. */
    public static void decodeAlaw(byte[] in, int inOff, short[] out, int outOff, int n) {
        checkRanges(in.length, inOff, out.length, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ALAW_DECODE[in[inOff + i] & 0xFF];
        }
    }

    /** Checks both ranges up front so a bad call fails before writing anything. */
    private static void checkRanges(int inLength, int inOff, int outLength, int outOff, int n) {
        java.util.Objects.checkFromIndexSize(inOff, n, inLength);
        java.util.Objects.checkFromIndexSize(outOff, n, outLength);
    }

    // ---- bit algorithms, used only to fill the tables ----

    /** Segment number: position of the highest set bit of {@code v} relative to {@code lowestTopBit}, clamped at 0. */
    private static int segment(int v, int lowestTopBit) {
        int top = 31 - Integer.numberOfLeadingZeros(v);
        return Math.max(0, top - lowestTopBit);
    }

    static int computeLinearToUlaw(short sample) {
        int v = Math.min((sample + 2) >> 2, MAX_14); // 14-bit domain, rounded like sox
        int mask;
        if (v < 0) {
            v = -v;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        if (v > ULAW_CLIP) {
            v = ULAW_CLIP;
        }
        v += ULAW_BIAS; // now 0x21..0x2000
        int seg = segment(v, 5);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        int code = (seg << 4) | ((v >> (seg + 1)) & 0x0F);
        return code ^ mask;
    }

    static int computeUlawToLinear(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    static int computeLinearToAlaw(short sample) {
        int v = Math.min((sample + 4) >> 3, MAX_13); // 13-bit domain, rounded like sox
        int mask;
        if (v >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            v = -v - 1; // one's complement magnitude: A-law has no negative zero
        }
        int seg = segment(v, 4); // segment 0 ends at 0x1F, segment 7 at 0xFFF
        int code = seg << 4;
        code |= seg < 2 ? (v >> 1) & 0x0F : (v >> seg) & 0x0F;
        return code ^ mask;
    }

    static int computeAlawToLinear(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t += 0x108;
            t <<= seg - 1;
        }
        return (a & 0x80) != 0 ? t : -t;
    }
}
