package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.media.wav.Problems.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.media.wav.WavBytes.*;

/** Reader behaviour on hand-built files: valid variants, tolerated defects and rejections. */
class WavReaderTest {

    @TempDir
    Path tmp;

    private Path write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static short[] interleavedStereo(int frames) {
        short[] s = noise(7, frames * 2);
        s[0] = Short.MIN_VALUE;
        s[1] = Short.MAX_VALUE;
        return s;
    }

    // ---- valid files ----

    @ParameterizedTest
    @EnumSource(WavEncoding.class)
    void readsCanonicalMonoAndStereo(WavEncoding encoding) throws IOException {
        for (int channels = 1; channels <= 2; channels++) {
            short[] samples = channels == 1 ? noise(3, 5001) : interleavedStereo(2500);
            Path f = write(encoding + "-" + channels + ".wav", file(encoding, channels, 8000, samples));
            try (WavReader r = WavReader.open(f)) {
                assertThat(r.format()).isEqualTo(new WavFormat(encoding, 8000, channels));
                assertThat(r.frames()).isEqualTo(samples.length / channels);
                assertThat(WavTestSupport.readAll(r)).isEqualTo(expectedDecode(encoding, samples));
                assertThat(r.problems().isEmpty()).as("problems %s", r.problems()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WavEncoding.class)
    void readsWaveFormatExtensible(WavEncoding encoding) throws IOException {
        short[] samples = interleavedStereo(300);
        Path f = write("ext.wav", riff(fmtExtensible(encoding.formatTag(), 2, 8000, encoding.bitsPerSample()),
                fact(300), chunk("data", encode(encoding, samples))));
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.format()).isEqualTo(new WavFormat(encoding, 8000, 2));
            assertThat(WavTestSupport.readAll(r)).isEqualTo(expectedDecode(encoding, samples));
            assertThat(r.problems().isEmpty()).isTrue();
        }
    }

    @Test
    void skipsExtraChunksAnywhereIncludingOddSizedOnesWithPadding() throws IOException {
        short[] samples = noise(11, 999);
        Path f = write("extra.wav", riff(
                chunk("JUNK", new byte[28]),
                chunk("LIST", concat(ascii("INFOICMT"), u32(3), ascii("abc"), new byte[1])),
                fmt18(6, 1, 8000),
                chunk("bext", new byte[13]), // odd: pad byte follows
                fact(999),
                chunk("junk", ascii("xyz")), // odd, padded
                chunk("data", alaw(samples)), // odd-sized data, padded
                chunk("LIST", new byte[5])));
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.frames()).isEqualTo(999);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(expectedDecode(WavEncoding.ALAW, samples));
            assertThat(r.problems().has(Kind.UNKNOWN_CHUNK_SKIPPED)).isTrue();
            assertThat(r.problems().list()).extracting(Problems.Problem::kind).containsOnly(Kind.UNKNOWN_CHUNK_SKIPPED);
            assertThat(r.problems().toString()).contains("'bext'", "'LIST'", "'JUNK'", "'junk'");
        }
    }

    @Test
    void toleratesOddChunkWithoutPadByte() throws IOException {
        short[] samples = noise(12, 100);
        Path f = write("nopad.wav", riff(fmt(1, 1, 8000, 16), chunk("bext", 5, new byte[5], false),
                chunk("data", pcm16(samples))));
        try (WavReader r = WavReader.open(f)) {
            assertThat(WavTestSupport.readAll(r)).isEqualTo(samples);
            assertThat(r.problems().has(Kind.ODD_CHUNK_UNPADDED)).isTrue();
        }
    }

    @Test
    void acceptsDataBeforeFmtWhenDataSizeIsKnown() throws IOException {
        short[] samples = noise(13, 64);
        Path f = write("datafirst.wav", riff(chunk("data", pcm16(samples)), fmt(1, 1, 8000, 16)));
        try (WavReader r = WavReader.open(f)) {
            assertThat(WavTestSupport.readAll(r)).isEqualTo(samples);
        }
    }

    @Test
    void stopsAtDeclaredDataSizeWhenChunksFollow() throws IOException {
        short[] samples = noise(14, 200);
        Path f = write("trailing.wav", riff(fmt(1, 1, 8000, 16), chunk("data", pcm16(samples)),
                chunk("LIST", new byte[40])));
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.frames()).isEqualTo(200);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(samples);
        }
    }

    @ParameterizedTest
    @MethodSource("unknownDataSizes")
    void readsToEndOfFileWhenDataSizeIsZeroOrUnknown(long sizeField) throws IOException {
        short[] samples = noise(15, 321);
        Path f = write("unknown.wav", riff(fmt18(7, 1, 8000), fact(0), chunk("data", sizeField, ulaw(samples), false)));
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.frames()).isEqualTo(321);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(expectedDecode(WavEncoding.ULAW, samples));
            assertThat(r.problems().has(Kind.DATA_SIZE_UNKNOWN)).isTrue();
        }
    }

    static Stream<Long> unknownDataSizes() {
        return Stream.of(0L, 0xFFFFFFFFL);
    }

    @Test
    void emptyDataChunkIsNotAProblem() throws IOException {
        Path f = write("empty.wav", riff(fmt(1, 1, 8000, 16), chunk("data", new byte[0])));
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.frames()).isZero();
            assertThat(r.read(new short[10], 0, 10)).isEqualTo(-1);
            assertThat(r.problems().isEmpty()).isTrue();
        }
    }

    @Test
    void readsTruncatedDataToEndOfFileAndDropsPartialFrame() throws IOException {
        short[] samples = interleavedStereo(100);
        byte[] whole = file(WavEncoding.PCM16, 2, 8000, samples);
        byte[] cut = Arrays.copyOf(whole, 44 + 50 * 4 + 3); // 50 frames and 3 bytes of the 51st
        Path f = write("cut.wav", cut);
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.frames()).isEqualTo(50);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(Arrays.copyOf(samples, 100));
            assertThat(r.problems().has(Kind.DATA_TRUNCATED)).isTrue();
            assertThat(r.problems().has(Kind.PARTIAL_FRAME)).isTrue();
            assertThat(r.problems().has(Kind.RIFF_SIZE_WRONG)).isTrue();
        }
    }

    @Test
    void toleratesWrongRiffSizeAndInconsistentFmt() throws IOException {
        short[] samples = noise(16, 10);
        byte[] bytes = file(WavEncoding.PCM16, 1, 8000, samples);
        bytes[4] = 0x7F; // RIFF size
        bytes[32] = 7; // block align
        Path f = write("riff.wav", bytes);
        try (WavReader r = WavReader.open(f)) {
            assertThat(WavTestSupport.readAll(r)).isEqualTo(samples);
            assertThat(r.problems().has(Kind.RIFF_SIZE_WRONG)).isTrue();
            assertThat(r.problems().has(Kind.FMT_INCONSISTENT)).isTrue();
        }
    }

    @Test
    void reportsAnyPcmRate() throws IOException {
        Path f = write("cd.wav", file(WavEncoding.PCM16, 2, 44100, noise(1, 20)));
        try (WavReader r = WavReader.open(f)) {
            assertThat(r.format().sampleRate()).isEqualTo(44100);
        }
    }

    // ---- read() contract ----

    @Test
    void readContract() throws IOException {
        short[] samples = interleavedStereo(10);
        Path f = write("contract.wav", file(WavEncoding.PCM16, 2, 8000, samples));
        WavReader r = WavReader.open(f);
        short[] buf = new short[30];
        assertThat(r.read(buf, 0, 0)).isZero();
        assertThat(r.read(buf, 4, 3)).isEqualTo(3);
        assertThat(Arrays.copyOfRange(buf, 4, 10)).isEqualTo(Arrays.copyOfRange(samples, 0, 6));
        assertThat(buf[10]).isZero();
        assertThatThrownBy(() -> r.read(buf, 25, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(r.read(buf, 0, 15)).isEqualTo(7);
        assertThat(Arrays.copyOf(buf, 14)).isEqualTo(Arrays.copyOfRange(samples, 6, 20));
        assertThat(r.read(buf, 0, 15)).isEqualTo(-1);
        r.close();
        r.close();
        assertThatThrownBy(() -> r.read(buf, 0, 1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    // ---- readAllMono8k ----

    @Test
    void readAllMono8kReturnsMonoAsIs() throws IOException {
        short[] samples = noise(21, 8000);
        Path f = write("prompt.wav", file(WavEncoding.ULAW, 1, 8000, samples));
        assertThat(WavReader.readAllMono8k(f)).isEqualTo(expectedDecode(WavEncoding.ULAW, samples));
    }

    @Test
    void readAllMono8kMixesStereoDown() throws IOException {
        short[] samples = interleavedStereo(5000);
        Path f = write("stereo.wav", file(WavEncoding.PCM16, 2, 8000, samples));
        short[] mono = WavReader.readAllMono8k(f);
        assertThat(mono).hasSize(5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(mono[i]).isEqualTo((short) ((samples[2 * i] + samples[2 * i + 1]) >> 1));
        }
    }

    @Test
    void readAllMono8kRejectsOtherRatesNamingRateAndFile() throws IOException {
        Path f = write("wideband.wav", file(WavEncoding.PCM16, 1, 16000, noise(2, 100)));
        assertThatThrownBy(() -> WavReader.readAllMono8k(f))
                .isInstanceOf(WavException.class)
                .hasMessageContaining("16000")
                .hasMessageContaining("8000")
                .hasMessageContaining(f.toString());
    }

    // ---- rejections ----

    static Stream<Arguments> brokenFiles() {
        byte[] data = chunk("data", new byte[8]);
        return Stream.of(
                Arguments.of("empty", new byte[0], "truncated header"),
                Arguments.of("short", ascii("RIFF\0\0\0\0WAV"), "truncated header"),
                Arguments.of("not riff", concat(ascii("RIFX"), u32(4), ascii("WAVE")), "not a RIFF file"),
                Arguments.of("mp3", ascii("ID3\u0004\0\0\0\0\0\0\0\0\0\0\0\0"), "not a RIFF file"),
                Arguments.of("avi", concat(ascii("RIFF"), u32(4), ascii("AVI ")), "not a WAVE file"),
                Arguments.of("no fmt", riff(data), "no fmt chunk"),
                Arguments.of("no data", riff(fmt(1, 1, 8000, 16)), "no data chunk"),
                Arguments.of("unknown size before fmt", riff(chunk("data", 0, new byte[8], false), fmt(1, 1, 8000, 16)),
                        "no fmt chunk"),
                Arguments.of("float", riff(fmt(3, 1, 8000, 32), data), "format tag 3"),
                Arguments.of("mp3 tag", riff(fmt(0x55, 1, 8000, 16), data), "format tag 85"),
                Arguments.of("ext float", riff(fmtExtensible(3, 1, 8000, 32), data), "subformat 3"),
                Arguments.of("pcm8", riff(fmt(1, 1, 8000, 8), data), "bits per sample is 8"),
                Arguments.of("pcm24", riff(fmt(1, 1, 8000, 24), data), "bits per sample is 24"),
                Arguments.of("alaw16", riff(fmt(6, 1, 8000, 16), data), "bits per sample is 16"),
                Arguments.of("0 channels", riff(fmt(1, 0, 8000, 16), data), "channel count is 0"),
                Arguments.of("3 channels", riff(fmt(1, 3, 8000, 16), data), "channel count is 3"),
                Arguments.of("rate 0", riff(fmt(1, 1, 0, 16), data), "sample rate 0"),
                Arguments.of("fmt too short", riff(chunk("fmt ", new byte[14]), data), "at least 16"),
                Arguments.of("fmt cut", Arrays.copyOf(riff(fmt(1, 1, 8000, 16), data), 30), "truncated header"),
                Arguments.of("ext too short", riff(chunk("fmt ", concat(u16(0xFFFE), u16(1), u32(8000), u32(16000),
                        u16(2), u16(16), u16(0))), data), "40 are needed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void rejectsNamingFileAndReason(String name, byte[] content, String reason) throws IOException {
        Path f = write(name.replace(' ', '_') + ".wav", content);
        assertThatThrownBy(() -> WavReader.open(f))
                .isInstanceOf(WavException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining(reason);
        assertThatThrownBy(() -> WavReader.readAllMono8k(f)).isInstanceOf(WavException.class);
    }

    @Test
    void unsupportedEncodingMessageListsWhatIsSupported() throws IOException {
        Path f = write("float.wav", riff(fmt(3, 1, 8000, 32), chunk("data", new byte[8])));
        assertThatThrownBy(() -> WavReader.open(f))
                .isInstanceOf(WavException.class)
                .hasMessageContaining("IEEE float")
                .hasMessageContaining("supported: 1 (PCM 16-bit), 6 (A-law), 7 (µ-law)");
    }

    @Test
    void missingFileIsAWavExceptionNamingTheFile() {
        Path f = tmp.resolve("nope.wav");
        assertThatThrownBy(() -> WavReader.open(f))
                .isInstanceOf(WavException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("no such file")
                .satisfies(e -> assertThat(((WavException) e).file()).isEqualTo(f));
    }
}
