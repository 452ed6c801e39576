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
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.media.Sox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.media.wav.WavBytes.*;

/** Files written by sox itself, generated at test time, must read exactly as sox decodes them. */
class SoxFilesTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> soxFormats() {
        return Stream.of(
                Arguments.of("signed-integer", 16, WavEncoding.PCM16, 1),
                Arguments.of("signed-integer", 16, WavEncoding.PCM16, 2),
                Arguments.of("a-law", 8, WavEncoding.ALAW, 1),
                Arguments.of("a-law", 8, WavEncoding.ALAW, 2),
                Arguments.of("u-law", 8, WavEncoding.ULAW, 1),
                Arguments.of("u-law", 8, WavEncoding.ULAW, 2));
    }

    /** Has sox encode deterministic noise of odd length into a WAV file. */
    private Path soxWav(String soxEncoding, int bits, int channels, int rate) throws IOException {
        short[] samples = noise(channels * 1000L + bits, 4001 * channels);
        Path raw = tmp.resolve("src.raw");
        Sox.writeRaw16(raw, samples);
        Path wav = tmp.resolve(soxEncoding + "-" + channels + "-" + rate + ".wav");
        Sox.run("-D", "-t", "raw", "-r", Integer.toString(rate), "-e", "signed-integer", "-b", "16", "-L",
                "-c", Integer.toString(channels), raw.toString(),
                "-t", "wav", "-e", soxEncoding, "-b", Integer.toString(bits), wav.toString());
        return wav;
    }

    @ParameterizedTest(name = "{0} x{3}")
    @MethodSource("soxFormats")
    void readsSoxFilesExactlyAsSoxDecodesThem(String soxEncoding, int bits, WavEncoding encoding, int channels)
            throws IOException {
        Path wav = soxWav(soxEncoding, bits, channels, 8000);
        short[] soxDecoded = Sox.decodeToLinear(wav, tmp);
        try (WavReader r = WavReader.open(wav)) {
            assertThat(r.format()).isEqualTo(new WavFormat(encoding, 8000, channels));
            assertThat(r.frames()).isEqualTo(4001);
            assertThat(WavTestSupport.readAll(r)).isEqualTo(soxDecoded);
            assertThat(r.problems().isEmpty()).as("problems %s", r.problems()).isTrue();
        }
        if (encoding != WavEncoding.PCM16) {
            assertThat(dataOffset(Files.readAllBytes(wav))).as("sox's G.711 header length").isEqualTo(58);
        }
    }

    @ParameterizedTest(name = "{0} x{3}")
    @MethodSource("soxFormats")
    void readsSoxFilesWithListChunksSpliced(String soxEncoding, int bits, WavEncoding encoding, int channels)
            throws IOException {
        // sox 14.4.2 ignores --comment for WAV output, so the LIST chunk is spliced into a sox
        // file; sox must still decode it, and our reader must agree with sox.
        Path wav = soxWav(soxEncoding, bits, channels, 8000);
        short[] original = Sox.decodeToLinear(wav, tmp);
        byte[] b = Files.readAllBytes(wav);
        int dataChunk = dataOffset(b) - 8;
        byte[] list = chunk("LIST", concat(ascii("INFOICMT"), u32(5), ascii("hello"), new byte[1])); // odd ICMT, padded
        byte[] spliced = concat(Arrays.copyOf(b, dataChunk), list, Arrays.copyOfRange(b, dataChunk, b.length), list);
        byte[] riffSize = u32(spliced.length - 8L);
        System.arraycopy(riffSize, 0, spliced, 4, 4);
        Path withList = tmp.resolve("list.wav");
        Files.write(withList, spliced);

        assertThat(Sox.decodeToLinear(withList, tmp)).as("sox's own decoding").isEqualTo(original);
        try (WavReader r = WavReader.open(withList)) {
            assertThat(WavTestSupport.readAll(r)).isEqualTo(original);
            assertThat(r.problems().list()).extracting(Problems.Problem::kind)
                    .containsOnly(Problems.Kind.UNKNOWN_CHUNK_SKIPPED);
        }
    }

    @Test
    void readAllMono8kMixesSoxStereoLikeTheReader() throws IOException {
        Path wav = soxWav("u-law", 8, 2, 8000);
        short[] stereo = Sox.decodeToLinear(wav, tmp);
        short[] mono = WavReader.readAllMono8k(wav);
        assertThat(mono).hasSize(stereo.length / 2);
        for (int i = 0; i < mono.length; i++) {
            assertThat(mono[i]).isEqualTo((short) ((stereo[2 * i] + stereo[2 * i + 1]) >> 1));
        }
    }

    @Test
    void soxFileAtOtherRateIsReportedButRejectedAsPrompt() throws IOException {
        Path wav = soxWav("signed-integer", 16, 1, 16000);
        try (WavReader r = WavReader.open(wav)) {
            assertThat(r.format().sampleRate()).isEqualTo(16000);
        }
        assertThatThrownBy(() -> WavReader.readAllMono8k(wav))
                .isInstanceOf(WavException.class)
                .hasMessageContaining("16000 Hz")
                .hasMessageContaining(wav.toString());
    }

    @Test
    void rejectsSoxFilesInUnsupportedEncodings() throws IOException {
        Path wav = soxWav("floating-point", 32, 1, 8000);
        assertThatThrownBy(() -> WavReader.open(wav))
                .isInstanceOf(WavException.class)
                .hasMessageContaining("format tag 3")
                .hasMessageContaining(wav.toString());
        Path gsm = tmp.resolve("gsm.wav");
        Sox.run("-D", wav.toString(), "-e", "gsm-full-rate", gsm.toString());
        assertThatThrownBy(() -> WavReader.open(gsm))
                .isInstanceOf(WavException.class)
                .hasMessageContaining("format tag 49");
    }

    /** Offset of the first data byte, found by a naive scan (independent of the code under test). */
    private static int dataOffset(byte[] b) {
        for (int i = 12; i + 8 <= b.length; i++) {
            if (b[i] == 'd' && b[i + 1] == 'a' && b[i + 2] == 't' && b[i + 3] == 'a') {
                return i + 8;
            }
        }
        throw new AssertionError("no data chunk");
    }
}
