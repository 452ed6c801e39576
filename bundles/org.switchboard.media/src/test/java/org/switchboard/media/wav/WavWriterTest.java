package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.media.Sox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.media.wav.WavBytes.*;

/** Writer round trips, header maintenance, crash simulation and recovery, checked with our reader and sox. */
class WavWriterTest {

    private static final int RATE = 8000;

    @TempDir
    Path tmp;

    static Stream<WavFormat> formats() {
        return Stream.of(WavEncoding.values())
                .flatMap(e -> Stream.of(new WavFormat(e, RATE, 1), new WavFormat(e, RATE, 2)));
    }

    private static int headerLength(WavFormat f) {
        return f.encoding() == WavEncoding.PCM16 ? 44 : 58;
    }

    private static long seed(WavFormat f) {
        return f.encoding().ordinal() * 10L + f.channels();
    }

    /** Writes {@code frames} frames of {@code samples} in irregular pieces, calling {@code afterWrite} after each. */
    private interface AfterWrite {
        void run(int writes, int framesWritten) throws IOException;
    }

    private static void writeInPieces(WavWriter w, short[] samples, int frames, long seed, AfterWrite afterWrite)
            throws IOException {
        Random r = new Random(seed);
        int ch = w.format().channels();
        int done = 0;
        int writes = 0;
        while (done < frames) {
            int n = Math.min(frames - done, 1 + r.nextInt(3000));
            w.write(samples, done * ch, n);
            done += n;
            writes++;
            afterWrite.run(writes, done);
        }
    }

    private static void assertSoxAccepts(Path f) {
        Sox.Result soxi = Sox.tryRun("soxi", "-D", f.toString());
        assertThat(soxi.exitCode()).as("soxi -D %s: %s", f, soxi.output()).isZero();
        Sox.Result stat = Sox.tryRun("sox", f.toString(), "-n", "stat");
        assertThat(stat.exitCode()).as("sox %s -n stat: %s", f, stat.output()).isZero();
    }

    // ---- round trips ----

    @ParameterizedTest
    @MethodSource("formats")
    void roundTripsThroughOurReaderAndSox(WavFormat format) throws IOException {
        int frames = 12345; // odd, so 8-bit mono needs a pad byte
        short[] samples = noise(seed(format), frames * format.channels());
        Path f = tmp.resolve("rt.wav");
        try (WavWriter w = WavWriter.create(f, format)) {
            writeInPieces(w, samples, frames, 1, (a, b) -> { });
            assertThat(w.frames()).isEqualTo(frames);
        }
        long dataBytes = (long) frames * format.blockAlign();
        assertThat(Files.size(f)).isEqualTo(headerLength(format) + dataBytes + (dataBytes & 1));

        short[] expected = expectedDecode(format.encoding(), samples);
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.format()).isEqualTo(format);
            assertThat(r.frames()).isEqualTo(frames);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(expected);
            assertThat(r.problems().isEmpty()).as("problems %s", r.problems()).isTrue();
        }
        assertThat(Sox.decodeToLinear(f, tmp)).isEqualTo(expected);
        assertSoxAccepts(f);
        if (format.encoding() != WavEncoding.PCM16) {
            // The stored codes are exactly what sox produces from the same linear samples.
            Path raw = tmp.resolve("in.raw");
            Sox.writeRaw16(raw, samples);
            Path soxWav = tmp.resolve("sox.wav");
            Sox.run("-D", "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-L",
                    "-c", Integer.toString(format.channels()), raw.toString(),
                    "-e", format.encoding() == WavEncoding.ALAW ? "a-law" : "u-law", soxWav.toString());
            assertThat(Files.readAllBytes(f)).isEqualTo(Files.readAllBytes(soxWav));
        }
    }

    @Test
    void emptyRecordingIsValid() throws IOException {
        Path f = tmp.resolve("empty.wav");
        WavWriter.create(f, WavFormat.mono8k(WavEncoding.ALAW)).close();
        assertThat(Files.size(f)).isEqualTo(58);
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.frames()).isZero();
            assertThat(r.problems().isEmpty()).isTrue();
        }
        assertSoxAccepts(f);
    }

    // ---- header maintenance ----

    @Test
    void flushMakesHeaderMatchTheFile() throws IOException {
        Path f = tmp.resolve("flush.wav");
        Path copy = tmp.resolve("copy.wav");
        try (WavWriter w = WavWriter.create(f, WavFormat.mono8k(WavEncoding.ULAW))) {
            short[] s = noise(5, 101);
            w.write(s, 0, 101);
            w.flush();
            Files.copy(f, copy);
            try (WavReader r = WavReader.open(copy)) {
                assertThat(r.frames()).isEqualTo(101);
                assertThat(r.problems().isEmpty()).as("problems %s", r.problems()).isTrue();
                assertThat(WavTestSupport.readAll(r)).isEqualTo(expectedDecode(WavEncoding.ULAW, s));
            }
            assertThat(WavWriter.recover(copy)).isTrue(); // only the pad byte is missing
            assertThat(Files.size(copy)).isEqualTo(58 + 102);
        }
    }

    @Test
    void headerIsUpdatedEverySecondWithoutFlush() throws IOException {
        Path f = tmp.resolve("auto.wav");
        Path copy = tmp.resolve("copy.wav");
        WavFormat format = new WavFormat(WavEncoding.PCM16, RATE, 2);
        short[] s = noise(6, 2 * 20500);
        try (WavWriter w = WavWriter.create(f, format)) {
            w.write(s, 0, 20500); // one call spanning 2.56 s
            Files.copy(f, copy);
        }
        try (WavReader r = WavReader.open(copy)) {
            assertThat(r.frames()).isEqualTo(2 * RATE);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(Arrays.copyOf(s, 2 * 2 * RATE));
        }
    }

    // ---- crash simulation ----

    @ParameterizedTest
    @MethodSource("formats")
    void fileCopiedWhileWriterIsOpenIsValidAndRecoverable(WavFormat format) throws IOException {
        int frames = 5 * RATE;
        int ch = format.channels();
        short[] samples = noise(100 + seed(format), frames * ch);
        short[] expected = expectedDecode(format.encoding(), samples);
        Path f = tmp.resolve("live.wav");
        int[] copies = {0};
        WavWriter w = WavWriter.create(f, format);
        writeInPieces(w, samples, frames, seed(format), (writes, written) -> {
            if (writes % 6 == 0 || written == frames) {
                Path copy = tmp.resolve("crash-" + copies[0]++ + ".wav");
                Files.copy(f, copy);
                checkCrashCopy(copy, format, written, expected);
            }
        });
        assertThat(copies[0]).isGreaterThanOrEqualTo(3);
        w.close();
    }

    private void checkCrashCopy(Path copy, WavFormat format, int written, short[] expected) throws IOException {
        int ch = format.channels();
        try (WavReader r = WavReader.open(copy)) {
            // The header covers everything except at most the last second.
            assertThat(r.frames()).as("frames in header of %s", copy).isBetween((long) written - RATE, (long) written);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(Arrays.copyOf(expected, (int) r.frames() * ch));
        }
        assertSoxAccepts(copy);

        assertThat(WavWriter.recover(copy)).isEqualTo(written % RATE != 0);
        long dataBytes = (long) written * format.blockAlign();
        assertThat(Files.size(copy)).as("header + data + pad").isEqualTo(headerLength(format) + dataBytes + (dataBytes & 1));
        try (WavReader r = WavReader.open(copy)) {
            assertThat(r.frames()).isEqualTo(written);
            assertThat(r.problems().isEmpty()).as("problems after recover: %s", r.problems()).isTrue();
            assertThat(WavTestSupport.readAll(r)).isEqualTo(Arrays.copyOf(expected, written * ch));
        }
        assertThat(Sox.decodeToLinear(copy, tmp)).isEqualTo(Arrays.copyOf(expected, written * ch));
        assertThat(WavWriter.recover(copy)).as("second recover is a no-op").isFalse();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void closedFileTruncatedAtRandomOffsetsIsReadableAndRecoverable(WavFormat format) throws IOException {
        int frames = 5 * RATE;
        int ch = format.channels();
        int header = headerLength(format);
        short[] samples = noise(200 + seed(format), frames * ch);
        short[] expected = expectedDecode(format.encoding(), samples);
        Path f = tmp.resolve("closed.wav");
        try (WavWriter w = WavWriter.create(f, format)) {
            w.write(samples, 0, frames);
        }
        byte[] whole = Files.readAllBytes(f);
        Random rnd = new Random(seed(format));
        int[] cuts = new int[8];
        cuts[0] = header;
        cuts[1] = header + 1;
        for (int i = 2; i < cuts.length; i++) {
            cuts[i] = header + rnd.nextInt(whole.length - header);
        }
        for (int cut : cuts) {
            Path t = tmp.resolve("cut-" + cut + ".wav");
            Files.write(t, Arrays.copyOf(whole, cut));
            int framesOnDisk = (cut - header) / format.blockAlign();
            try (WavReader r = WavReader.open(t)) {
                assertThat(r.frames()).isEqualTo(framesOnDisk);
                assertThat(r.problems().has(Problems.Kind.DATA_TRUNCATED)).isTrue();
                assertThat(WavTestSupport.readAll(r)).isEqualTo(Arrays.copyOf(expected, framesOnDisk * ch));
            }
            assertSoxAccepts(t);
            assertThat(WavWriter.recover(t)).isTrue();
            try (WavReader r = WavReader.open(t)) {
                assertThat(r.frames()).isEqualTo(framesOnDisk);
                assertThat(r.problems().isEmpty()).as("problems after recover: %s", r.problems()).isTrue();
            }
            assertThat(Sox.decodeToLinear(t, tmp)).isEqualTo(Arrays.copyOf(expected, framesOnDisk * ch));
        }
        for (int cut : new int[] {0, 11, 12, 20, header - 1}) {
            Path t = tmp.resolve("head-" + cut + ".wav");
            Files.write(t, Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> WavReader.open(t)).isInstanceOf(WavException.class);
            assertThatThrownBy(() -> WavWriter.recover(t)).isInstanceOf(WavException.class);
        }
    }

    // ---- recover on files that need nothing or something ----

    @Test
    void recoverLeavesIntactFilesAlone() throws IOException {
        Path odd = tmp.resolve("odd.wav");
        try (WavWriter w = WavWriter.create(odd, WavFormat.mono8k(WavEncoding.ALAW))) {
            w.write(noise(8, 7), 0, 7); // odd data, pad byte on close
        }
        byte[] before = Files.readAllBytes(odd);
        assertThat(WavWriter.recover(odd)).isFalse();
        assertThat(Files.readAllBytes(odd)).isEqualTo(before);

        Path trailing = tmp.resolve("trailing.wav");
        byte[] withList = riff(fmt(1, 1, 8000, 16), chunk("data", pcm16(noise(9, 50))),
                chunk("LIST", concat(ascii("INFOICMT"), u32(1), ascii("x"), new byte[1])));
        Files.write(trailing, withList);
        assertThat(WavWriter.recover(trailing)).isFalse();
        assertThat(Files.readAllBytes(trailing)).isEqualTo(withList);
    }

    @Test
    void recoverFixesUnknownDataSizeAndFactCount() throws IOException {
        short[] s = noise(10, 2 * 333);
        Path f = tmp.resolve("ffff.wav");
        Files.write(f, riff(fmt18(7, 2, 8000), fact(0), chunk("data", 0xFFFFFFFFL, ulaw(s), false)));
        assertThat(WavWriter.recover(f)).isTrue();
        byte[] b = Files.readAllBytes(f);
        assertThat(Arrays.copyOfRange(b, 46, 50)).isEqualTo(u32(333)); // fact sample count
        assertThat(Arrays.copyOfRange(b, 54, 58)).isEqualTo(u32(666)); // data size
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.problems().isEmpty()).as("%s", r.problems()).isTrue();
            assertThat(WavTestSupport.readAll(r)).isEqualTo(expectedDecode(WavEncoding.ULAW, s));
        }
    }

    // ---- API contract ----

    @Test
    void writeAfterCloseFailsAndCloseIsIdempotent() throws IOException {
        WavWriter w = WavWriter.create(tmp.resolve("c.wav"), WavFormat.mono8k(WavEncoding.PCM16));
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(new short[1], 0, 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(w::flush).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsBadArguments() throws IOException {
        assertThatThrownBy(() -> new WavFormat(WavEncoding.PCM16, 8000, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WavFormat(WavEncoding.PCM16, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        try (WavWriter w = WavWriter.create(tmp.resolve("a.wav"), new WavFormat(WavEncoding.PCM16, 8000, 2))) {
            assertThatThrownBy(() -> w.write(new short[5], 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(w.frames()).isZero();
        }
    }
}
