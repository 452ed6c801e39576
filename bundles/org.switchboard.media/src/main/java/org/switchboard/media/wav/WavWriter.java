package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import org.switchboard.media.codec.G711;

/**
 * Streaming WAV writer for call recordings, built so that a process crash never leaves an
 * unreadable file.
 *
 * <p>The header is written first with sizes describing an empty file, and audio is appended
 * after it. The header is rewritten in place (one positional write of the whole header, after
 * the audio it describes has been written) at every {@link #flush()} and automatically after
 * every second of audio, so at any moment the file on disk is a valid WAV whose header covers
 * all audio except at most the last second. {@link #recover(Path)} extends the header over that
 * remainder after a crash.
 *
 * <p>PCM16 files get the canonical 44-byte header. A-law and µ-law files get the 58-byte header
 * sox writes (18-byte fmt with cbSize 0, plus the fact chunk that non-PCM formats require).
 *
 * <p>Durability: {@link #flush()} and {@link #close()} also force the data to the storage
 * device; the automatic per-second updates do not, so they protect against a process crash but
 * only flushed audio is guaranteed to survive a power failure.
 */
public final class WavWriter implements AutoCloseable {

    /** Encode buffer size; a multiple of every supported block align. */
    private static final int BUFFER_BYTES = 8192;
    /** RIFF sizes are 32-bit: the whole file must stay below 4 GiB + 8. */
    private static final long MAX_RIFF_SIZE = 0xFFFFFFFFL;

    private final Path file;
    private final FileChannel channel;
    private final WavFormat format;
    private final int blockAlign;
    private final int headerLength;
    private final byte[] header;
    private final ByteBuffer headerBuffer;
    private final byte[] bytes = new byte[BUFFER_BYTES];
    private final ByteBuffer byteBuffer = ByteBuffer.wrap(bytes);
    private long dataBytes;
    private long framesSinceHeaderUpdate;
    private boolean closed;

    private WavWriter(Path file, FileChannel channel, WavFormat format) {
        this.file = file;
        this.channel = channel;
        this.format = format;
        this.blockAlign = format.blockAlign();
        this.headerLength = format.encoding() == WavEncoding.PCM16 ? 44 : 58;
        this.header = new byte[headerLength];
        this.headerBuffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Creates (or truncates) {@code file} and writes a header for an empty recording. */
    public static WavWriter create(Path file, WavFormat format) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        WavWriter w = new WavWriter(file, ch, format);
        try {
            w.writeHeader(false);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return w;
    }

    /** The format being written. */
    public WavFormat format() {
        return format;
    }

    /** Sample frames written so far. */
    public long frames() {
        return dataBytes / blockAlign;
    }

    /**
     * Appends {@code n} sample frames of interleaved 16-bit linear samples
     * ({@code n * channels} shorts from {@code samples[off]}), encoded per the format.
     */
    public void write(short[] samples, int off, int n) throws IOException {
        ensureOpen();
        if (n < 0) {
            throw new IndexOutOfBoundsException("negative frame count " + n);
        }
        int channels = format.channels();
        Objects.checkFromIndexSize(off, (int) Math.min((long) n * channels, Integer.MAX_VALUE), samples.length);
        if (headerLength - 8 + dataBytes + (long) n * blockAlign + 1 > MAX_RIFF_SIZE) {
            throw new IOException(file + ": WAV size limit (4 GiB) reached");
        }
        int framesPerBuffer = BUFFER_BYTES / blockAlign;
        int done = 0;
        while (done < n) {
            // Never cross a one-second boundary inside a chunk, so the header lags by at most a second.
            int chunk = (int) Math.min(Math.min(n - done, framesPerBuffer), format.sampleRate() - framesSinceHeaderUpdate);
            int sampleCount = chunk * channels;
            encode(samples, off + done * channels, sampleCount);
            byteBuffer.clear().limit(sampleCount * format.encoding().bytesPerSample());
            writeFully(byteBuffer, headerLength + dataBytes);
            dataBytes += (long) chunk * blockAlign;
            done += chunk;
            framesSinceHeaderUpdate += chunk;
            if (framesSinceHeaderUpdate >= format.sampleRate()) {
                writeHeader(false);
            }
        }
    }

    private void encode(short[] in, int inOff, int count) {
        switch (format.encoding()) {
            case PCM16 -> {
                for (int i = 0; i < count; i++) {
                    short s = in[inOff + i];
                    bytes[2 * i] = (byte) s;
                    bytes[2 * i + 1] = (byte) (s >> 8);
                }
            }
            case ALAW -> G711.encodeAlaw(in, inOff, bytes, 0, count);
            case ULAW -> G711.encodeUlaw(in, inOff, bytes, 0, count);
            default -> throw new AssertionError(format.encoding());
        }
    }

    /** Rewrites the header to describe exactly the audio written so far and forces it to storage. */
    public void flush() throws IOException {
        ensureOpen();
        writeHeader(false);
        channel.force(false);
    }

    /** Adds the pad byte an odd-sized data chunk needs, writes the final header and closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            boolean pad = (dataBytes & 1) != 0;
            if (pad) {
                byteBuffer.clear().limit(1);
                bytes[0] = 0;
                writeFully(byteBuffer, headerLength + dataBytes);
            }
            writeHeader(pad);
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(file + ": writer is closed");
        }
    }

    private void writeFully(ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    private void writeHeader(boolean padded) throws IOException {
        buildHeader(headerBuffer, format, dataBytes, padded);
        headerBuffer.clear();
        writeFully(headerBuffer, 0);
        framesSinceHeaderUpdate = 0;
    }

    /** Fills {@code h} (44 or 58 bytes, little-endian) with a header for {@code dataBytes} of audio. */
    private static void buildHeader(ByteBuffer h, WavFormat format, long dataBytes, boolean padded) {
        boolean pcm = format.encoding() == WavEncoding.PCM16;
        int headerLength = h.capacity();
        h.clear();
        h.putInt(RiffScanner.RIFF);
        h.putInt((int) (headerLength - 8 + dataBytes + (padded ? 1 : 0)));
        h.putInt(RiffScanner.WAVE);
        h.putInt(RiffScanner.FMT);
        h.putInt(pcm ? 16 : 18);
        h.putShort((short) format.encoding().formatTag());
        h.putShort((short) format.channels());
        h.putInt(format.sampleRate());
        h.putInt((int) Math.min((long) format.sampleRate() * format.blockAlign(), 0xFFFFFFFFL));
        h.putShort((short) format.blockAlign());
        h.putShort((short) format.encoding().bitsPerSample());
        if (!pcm) {
            h.putShort((short) 0); // cbSize
            h.putInt(RiffScanner.FACT);
            h.putInt(4);
            h.putInt((int) (dataBytes / format.blockAlign()));
        }
        h.putInt(RiffScanner.DATA);
        h.putInt((int) dataBytes);
    }

    /**
     * Repairs the header of a WAV file whose writer died before closing it: the data chunk is
     * taken to run to the end of the file (as our writer always puts it last), an incomplete
     * trailing sample frame is cut off, a missing pad byte after odd-sized data is added, and the
     * RIFF size, data size and fact sample count are set accordingly. A file whose header already
     * matches, or whose data chunk is followed by well-formed chunks, is left alone.
     *
     * @return true if the file was changed
     * @throws WavException if the file is not a WAV file this package can read (for example when
     *                      the crash happened before the header was complete)
     */
    public static boolean recover(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            RiffScanner.Layout l = RiffScanner.scan(file, ch, new Problems());
            int align = l.format().blockAlign();
            long size = l.fileSize();
            long available = size - l.dataStart();
            long declared = l.declaredData();
            boolean changed = false;

            long dataBytes;
            boolean declaredFits = declared != RiffScanner.UNKNOWN_SIZE && declared <= available;
            long declaredEnd = l.dataStart() + declared + (declared & 1);
            boolean declaredMatches = declaredFits
                    && (available == declared
                        || ((declared & 1) != 0 && available == declared + 1)
                        || (declaredEnd < size && wellFormedChunksUntilEnd(ch, declaredEnd, size)));
            if (declaredMatches && declared % align == 0) {
                dataBytes = declared;
            } else {
                dataBytes = available - available % align;
                long end = l.dataStart() + dataBytes;
                if (end < size) {
                    ch.truncate(end); // drop an incomplete frame left by the crash
                    changed = true;
                    size = end;
                }
            }
            if ((dataBytes & 1) != 0 && l.dataStart() + dataBytes == size) {
                // Complete the file as close() would have: odd chunks end with a pad byte.
                ByteBuffer pad = ByteBuffer.wrap(new byte[1]);
                while (pad.hasRemaining()) {
                    ch.write(pad, size);
                }
                size++;
                changed = true;
            }

            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            changed |= putU32IfDifferent(ch, b, 4, size - 8);
            changed |= putU32IfDifferent(ch, b, l.dataStart() - 4, dataBytes);
            if (l.factPayload() >= 0 && l.factPayload() + 4 <= l.dataStart()) {
                changed |= putU32IfDifferent(ch, b, l.factPayload(), dataBytes / align);
            }
            if (changed) {
                ch.force(false);
            }
            return changed;
        }
    }

    /** True if the bytes from {@code pos} to {@code end} form a sequence of plausible chunks (e.g. a trailing LIST). */
    private static boolean wellFormedChunksUntilEnd(FileChannel ch, long pos, long end) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long p = pos;
        for (int i = 0; i < 1000 && p < end; i++) {
            b.clear();
            if (p + 8 > end || RiffScanner.readFully(ch, b, p) < 8 || !RiffScanner.plausibleId(b.getInt(0))) {
                return false;
            }
            long size = b.getInt(4) & 0xFFFFFFFFL;
            p += 8 + size + (size & 1);
        }
        return p == end;
    }

    private static boolean putU32IfDifferent(FileChannel ch, ByteBuffer b, long position, long value) throws IOException {
        b.clear();
        RiffScanner.readFully(ch, b, position);
        int wanted = (int) value;
        if (b.position() == 4 && b.getInt(0) == wanted) {
            return false;
        }
        b.clear();
        b.putInt(0, wanted);
        while (b.hasRemaining()) {
            ch.write(b, position + b.position());
        }
        return true;
    }
}
