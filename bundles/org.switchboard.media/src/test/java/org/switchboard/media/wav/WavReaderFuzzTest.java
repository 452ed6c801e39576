package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.fail;
import static org.switchboard.media.wav.WavBytes.*;

/**
 * Deterministic fuzzing: random mutations of valid files must only ever produce a reader (or a
 * successful recover) or a
 * checked exception (WavException/IOException), never an unchecked exception or an error such as
 * OutOfMemoryError from trusting a size field.
 */
class WavReaderFuzzTest {

    private static final long SEED = 0x5EEDL;
    private static final int ITERATIONS = 5000;
    /** Sizes worth planting: the boundaries where naive arithmetic overflows. */
    private static final long[] NASTY = {0, 1, 2, 3, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0xFFFFFFFEL, 0x10000, 40, 16, 18};

    @TempDir
    Path tmp;

    private static List<byte[]> seeds() {
        short[] mono = noise(1, 301);
        short[] stereo = noise(2, 2 * 150);
        return List.of(
                file(WavEncoding.PCM16, 1, 8000, mono),
                file(WavEncoding.ALAW, 2, 8000, stereo),
                file(WavEncoding.ULAW, 1, 8000, mono),
                riff(fmtExtensible(7, 2, 8000, 8), fact(150), chunk("data", ulaw(stereo))),
                riff(chunk("LIST", concat(ascii("INFOICMT"), u32(3), ascii("abc"), new byte[1])), fmt(1, 2, 8000, 16),
                        chunk("bext", new byte[7]), chunk("data", pcm16(stereo)), chunk("junk", new byte[3])));
    }

    @Test
    void mutatedFilesNeverCauseUncheckedExceptions() throws IOException {
        Random rnd = new Random(SEED);
        List<byte[]> seeds = seeds();
        Path f = tmp.resolve("fuzz.wav");
        short[] buf = new short[2 * 97];
        int opened = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Files.write(f, input);
            try {
                try (WavReader r = WavReader.open(f)) {
                    opened++;
                    r.problems().toString();
                    long total = 0;
                    int n;
                    while ((n = r.read(buf, 0, 97)) != -1) {
                        total += n;
                    }
                    if (total != r.frames()) {
                        fail("iteration %d: read %d frames but frames() is %d", i, total, r.frames());
                    }
                }
                WavReader.readAllMono8k(f);
            } catch (IOException expected) {
                // WavException is an IOException: both are the allowed outcomes
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + ") threw " + t + " for input "
                        + Arrays.toString(Arrays.copyOf(input, Math.min(input.length, 80))), t);
            }
            if (i % 10 != 0) {
                continue; // recover() may fsync, which is slow on real disks; a tenth of the inputs suffices
            }
            try {
                // recover() parses the same bytes and then writes sizes; it must be as robust.
                WavWriter.recover(f);
                WavReader.readAllMono8k(f);
            } catch (IOException expected) {
                // WavException is an IOException: both are the allowed outcomes
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + ") threw " + t + " for input "
                        + Arrays.toString(Arrays.copyOf(input, Math.min(input.length, 80))), t);
            }
        }
        // Sanity: the mutations are not so destructive that the reader is never exercised.
        if (opened < ITERATIONS / 10) {
            fail("only %d of %d mutated files opened", opened, ITERATIONS);
        }
    }

    private static byte[] mutate(byte[] original, Random rnd) {
        byte[] b = original.clone();
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            switch (rnd.nextInt(6)) {
                case 0 -> { // flip random bytes, concentrated on the header
                    int pos = rnd.nextInt(Math.min(b.length, rnd.nextBoolean() ? 80 : b.length) + 1);
                    if (pos < b.length) {
                        b[pos] = (byte) rnd.nextInt(256);
                    }
                }
                case 1 -> { // plant a nasty 32-bit value at a 4-byte boundary in the header
                    int pos = 4 * rnd.nextInt(Math.max(1, Math.min(b.length, 80) / 4));
                    if (pos + 4 <= b.length) {
                        System.arraycopy(u32(NASTY[rnd.nextInt(NASTY.length)]), 0, b, pos, 4);
                    }
                }
                case 2 -> { // plant a nasty 16-bit value (tags, channels, bits, block align)
                    int pos = 2 * rnd.nextInt(Math.max(1, Math.min(b.length, 80) / 2));
                    if (pos + 2 <= b.length) {
                        System.arraycopy(u16((int) NASTY[rnd.nextInt(NASTY.length)]), 0, b, pos, 2);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
                case 4 -> { // delete a range
                    int from = rnd.nextInt(b.length + 1);
                    int to = Math.min(b.length, from + rnd.nextInt(9));
                    byte[] c = new byte[b.length - (to - from)];
                    System.arraycopy(b, 0, c, 0, from);
                    System.arraycopy(b, to, c, from, b.length - to);
                    b = c;
                }
                default -> { // insert random bytes
                    int at = rnd.nextInt(b.length + 1);
                    byte[] ins = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(ins);
                    b = concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, b.length));
                }
            }
        }
        return b;
    }
}
