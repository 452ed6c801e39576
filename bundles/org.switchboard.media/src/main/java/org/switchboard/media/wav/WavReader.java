package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

import org.switchboard.media.codec.G711;

/**
 * Streaming reader for PCM16, A-law and µ-law WAV files, decoding to 16-bit linear samples.
 *
 * <p>It is deliberately tolerant: prompts arrive from many tools and recordings may have been
 * cut short by a crash, so defects that still leave the audio unambiguous (wrong or unknown sizes,
 * extra or badly padded chunks) are accepted and listed in {@link #problems()}. Anything that
 * makes the audio ambiguous is rejected with a {@link WavException} naming the file and reason.
 * Arbitrary bytes never cause an unchecked exception, and memory use does not depend on size fields.
 */
public final class WavReader implements AutoCloseable {

    /** Read buffer size; a multiple of every supported block align (1, 2, 4). */
    private static final int BUFFER_BYTES = 8192;
    /** Largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path file;
    private final FileChannel channel;
    private final WavFormat format;
    private final int blockAlign;
    private final long dataStart;
    private long frames;
    private long framesRead;
    private final Problems problems;
    private final byte[] bytes = new byte[BUFFER_BYTES];
    private final ByteBuffer byteBuffer = ByteBuffer.wrap(bytes);
    private boolean closed;

    private WavReader(Path file, FileChannel channel, WavFormat format, long dataStart, long frames, Problems problems) {
        this.file = file;
        this.channel = channel;
        this.format = format;
        this.blockAlign = format.blockAlign();
        this.dataStart = dataStart;
        this.frames = frames;
        this.problems = problems;
    }

    /**
     * Opens a WAV file and parses its header.
     *
     * @throws WavException if the file cannot be read or is not a supported WAV file; the message names the file
     */
    public static WavReader open(Path file) throws WavException {
        Objects.requireNonNull(file, "file");
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new WavException(file, "no such file", e);
        } catch (IOException | SecurityException e) {
            throw new WavException(file, "cannot open: " + e, e);
        }
        try {
            Problems problems = new Problems();
            RiffScanner.Layout layout = RiffScanner.scan(file, ch, problems);
            long dataBytes = dataBytes(layout, problems);
            return new WavReader(file, ch, layout.format(), layout.dataStart(), dataBytes / layout.format().blockAlign(),
                    problems);
        } catch (IOException e) {
            closeQuietly(ch, e);
            if (e instanceof WavException we) {
                throw we;
            }
            throw new WavException(file, "I/O error reading the header: " + e, e);
        }
    }

    /** Works out how many data bytes to trust, recording why when the header is not believed. */
    private static long dataBytes(RiffScanner.Layout l, Problems problems) {
        long available = l.fileSize() - l.dataStart();
        long declared = l.declaredData();
        long bytes;
        if ((declared == 0 && available > 0) || declared == RiffScanner.UNKNOWN_SIZE) {
            problems.add(Problems.Kind.DATA_SIZE_UNKNOWN, "data size field is " + declared
                    + "; reading " + available + " bytes to the end of the file");
            bytes = available;
        } else if (declared > available) {
            problems.add(Problems.Kind.DATA_TRUNCATED, "data chunk says " + declared + " bytes but the file holds only "
                    + available + " (truncated file); reading to the end of the file");
            bytes = available;
        } else {
            bytes = declared;
        }
        long partial = bytes % l.format().blockAlign();
        if (partial != 0) {
            problems.add(Problems.Kind.PARTIAL_FRAME, "data ends with " + partial + " byte(s) of an incomplete sample frame, ignored");
            bytes -= partial;
        }
        return bytes;
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** Encoding, rate and channel count. */
    public WavFormat format() {
        return format;
    }

    /**
     * Sample frames in the data, after correcting sizes that disagree with the file length. Always known
     * for regular files; -1 is reserved for sources whose length cannot be determined.
     */
    public long frames() {
        return frames;
    }

    /** Defects that were tolerated while opening (and reading) the file. */
    public Problems problems() {
        return problems;
    }

    /**
     * Reads up to {@code n} sample frames, decoded to 16-bit linear, interleaved for stereo.
     *
     * @param buf receives {@code frames * channels} samples starting at {@code off}
     * @return frames read, 0 only if {@code n} is 0, -1 at the end of the data
     */
    public int read(short[] buf, int off, int n) throws IOException {
        if (closed) {
            throw new IOException(file + ": reader is closed");
        }
        int channels = format.channels();
        if (n < 0) {
            throw new IndexOutOfBoundsException("negative frame count " + n);
        }
        Objects.checkFromIndexSize(off, (int) Math.min((long) n * channels, Integer.MAX_VALUE), buf.length);
        if (n == 0) {
            return 0;
        }
        if (framesRead >= frames) {
            return -1;
        }
        int want = (int) Math.min(n, frames - framesRead);
        int framesPerBuffer = BUFFER_BYTES / blockAlign;
        int done = 0;
        while (done < want) {
            int chunkFrames = Math.min(want - done, framesPerBuffer);
            int chunkBytes = chunkFrames * blockAlign;
            byteBuffer.clear().limit(chunkBytes);
            int got = RiffScanner.readFully(channel, byteBuffer, dataStart + framesRead * blockAlign);
            int gotFrames = got / blockAlign;
            decode(buf, off + done * channels, gotFrames * channels);
            done += gotFrames;
            framesRead += gotFrames;
            if (got < chunkBytes) {
                problems.add(Problems.Kind.FILE_SHRANK, "file ended after " + framesRead + " of " + frames + " frames");
                frames = framesRead;
                break;
            }
        }
        return done == 0 ? -1 : done;
    }

    private void decode(short[] out, int outOff, int samples) {
        switch (format.encoding()) {
            case PCM16 -> {
                for (int i = 0; i < samples; i++) {
                    out[outOff + i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
                }
            }
            case ALAW -> G711.decodeAlaw(bytes, 0, out, outOff, samples);
            case ULAW -> G711.decodeUlaw(bytes, 0, out, outOff, samples);
            default -> throw new AssertionError(format.encoding());
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    /**
     * Reads a whole prompt as 8 kHz mono linear samples; stereo is mixed down by averaging the
     * channels. Other sample rates are rejected rather than resampled, because a prompt played at
     * the wrong rate is worse than a clear error at load time.
     *
     * @throws WavException if the file is unusable or not 8000 Hz; the message names file and rate
     */
    public static short[] readAllMono8k(Path file) throws WavException {
        try (WavReader r = open(file)) {
            int rate = r.format().sampleRate();
            if (rate != 8000) {
                throw new WavException(file, "sample rate is " + rate + " Hz; prompts must be 8000 Hz");
            }
            if (r.frames() > MAX_ARRAY) {
                throw new WavException(file, "too long for one array: " + r.frames() + " frames");
            }
            short[] out = new short[(int) r.frames()];
            int total = 0;
            if (r.format().channels() == 1) {
                int got;
                while (total < out.length && (got = r.read(out, total, out.length - total)) > 0) {
                    total += got;
                }
            } else {
                short[] stereo = new short[2 * 2048];
                int got;
                while (total < out.length && (got = r.read(stereo, 0, Math.min(2048, out.length - total))) > 0) {
                    for (int i = 0; i < got; i++) {
                        out[total + i] = (short) ((stereo[2 * i] + stereo[2 * i + 1]) >> 1);
                    }
                    total += got;
                }
            }
            return total == out.length ? out : Arrays.copyOf(out, total);
        } catch (WavException e) {
            throw e;
        } catch (IOException e) {
            throw new WavException(file, "I/O error reading audio: " + e, e);
        }
    }
}
