package org.switchboard.media.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.Sox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks G711 exhaustively against sox, an independent implementation of the same reference:
 * every 16-bit input for encoding and every 8-bit code for decoding, for both laws.
 */
class G711Test {

    @TempDir
    Path tmp;

    /** All 65536 int16 values in ascending order of their unsigned bit pattern. */
    private static short[] allSamples() {
        short[] s = new short[65536];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) i;
        }
        return s;
    }

    private static byte[] allCodes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private byte[] soxEncode(String encoding) throws IOException {
        Path in = tmp.resolve("all.raw");
        Path out = tmp.resolve("enc-" + encoding + ".raw");
        Sox.writeRaw16(in, allSamples());
        Sox.run("-D", "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", in.toString(),
                "-t", "raw", "-e", encoding, "-b", "8", out.toString());
        byte[] codes = Files.readAllBytes(out);
        assertThat(codes).as("sox output length").hasSize(65536);
        return codes;
    }

    private short[] soxDecode(String encoding) throws IOException {
        Path in = tmp.resolve("codes-" + encoding + ".raw");
        Path out = tmp.resolve("dec-" + encoding + ".raw");
        Files.write(in, allCodes());
        Sox.run("-D", "-t", "raw", "-r", "8000", "-e", encoding, "-b", "8", "-c", "1", in.toString(),
                "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", out.toString());
        short[] s = Sox.readRaw16(out);
        assertThat(s).as("sox output length").hasSize(256);
        return s;
    }

    @Test
    void ulawEncodeMatchesSoxForEvery16BitInput() throws IOException {
        byte[] expected = soxEncode("u-law");
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            if (G711.linearToUlaw(s) != expected[i]) {
                fail("u-law encode of %d: got 0x%02X, sox 0x%02X", s, G711.linearToUlaw(s) & 0xFF, expected[i] & 0xFF);
            }
        }
        byte[] bulk = new byte[65536];
        G711.encodeUlaw(allSamples(), 0, bulk, 0, 65536);
        assertThat(bulk).isEqualTo(expected);
    }

    @Test
    void alawEncodeMatchesSoxForEvery16BitInput() throws IOException {
        byte[] expected = soxEncode("a-law");
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            if (G711.linearToAlaw(s) != expected[i]) {
                fail("A-law encode of %d: got 0x%02X, sox 0x%02X", s, G711.linearToAlaw(s) & 0xFF, expected[i] & 0xFF);
            }
        }
        byte[] bulk = new byte[65536];
        G711.encodeAlaw(allSamples(), 0, bulk, 0, 65536);
        assertThat(bulk).isEqualTo(expected);
    }

    @Test
    void ulawDecodeMatchesSoxForEveryCode() throws IOException {
        short[] expected = soxDecode("u-law");
        for (int c = 0; c < 256; c++) {
            assertThat(G711.ulawToLinear((byte) c)).as("u-law code 0x%02X", c).isEqualTo(expected[c]);
        }
        short[] bulk = new short[256];
        G711.decodeUlaw(allCodes(), 0, bulk, 0, 256);
        assertThat(bulk).isEqualTo(expected);
    }

    @Test
    void alawDecodeMatchesSoxForEveryCode() throws IOException {
        short[] expected = soxDecode("a-law");
        for (int c = 0; c < 256; c++) {
            assertThat(G711.alawToLinear((byte) c)).as("A-law code 0x%02X", c).isEqualTo(expected[c]);
        }
        short[] bulk = new short[256];
        G711.decodeAlaw(allCodes(), 0, bulk, 0, 256);
        assertThat(bulk).isEqualTo(expected);
    }

    @Test
    void decodedValuesAreFixedPointsOfEncodeThenDecode() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            short u = G711.ulawToLinear(code);
            assertThat(G711.ulawToLinear(G711.linearToUlaw(u))).as("u-law 0x%02X", c).isEqualTo(u);
            short a = G711.alawToLinear(code);
            assertThat(G711.alawToLinear(G711.linearToAlaw(a))).as("A-law 0x%02X", c).isEqualTo(a);
        }
    }

    @Test
    void everyCodeExceptNegativeZeroSurvivesDecodeThenEncode() {
        // µ-law has two zeros (0x7F and 0xFF); the encoder only produces 0xFF for 0.
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            assertThat(G711.linearToAlaw(G711.alawToLinear(code))).as("A-law 0x%02X", c).isEqualTo(code);
            if (c != 0x7F) {
                assertThat(G711.linearToUlaw(G711.ulawToLinear(code))).as("u-law 0x%02X", c).isEqualTo(code);
            }
        }
    }

    @Test
    void wellKnownValues() {
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void bulkMethodsHonourOffsetsAndLeaveTheRestAlone() {
        short[] in = {100, -100, 2000, -2000, 30000, -30000};
        byte[] out = new byte[8];
        out[0] = 0x11;
        out[7] = 0x22;
        G711.encodeAlaw(in, 1, out, 2, 4);
        assertThat(out[0]).isEqualTo((byte) 0x11);
        assertThat(out[1]).isEqualTo((byte) 0);
        for (int i = 0; i < 4; i++) {
            assertThat(out[2 + i]).isEqualTo(G711.linearToAlaw(in[1 + i]));
        }
        assertThat(out[6]).isEqualTo((byte) 0);
        assertThat(out[7]).isEqualTo((byte) 0x22);

        short[] dec = new short[5];
        G711.decodeUlaw(new byte[] {1, 2, 3}, 1, dec, 3, 2);
        assertThat(dec).containsExactly((short) 0, (short) 0, (short) 0, G711.ulawToLinear((byte) 2), G711.ulawToLinear((byte) 3));
    }

    @Test
    void bulkMethodsRejectBadRangesBeforeWriting() {
        byte[] out = new byte[4];
        assertThatThrownBy(() -> G711.encodeUlaw(new short[4], 2, out, 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> G711.decodeAlaw(new byte[4], 0, new short[2], 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(out).containsOnly(0);
    }
}
