package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Walks the chunk list of a RIFF/WAVE file and finds fmt, fact and data. Shared by the reader
 * and by {@link WavWriter#recover}, so both agree on what a file contains.
 *
 * <p>Robustness rules: every size field is treated as an unsigned 32-bit value in a long (no
 * overflow), never used to allocate memory (fmt is read into a fixed 40-byte buffer), and every
 * loop step advances by at least 8 bytes, so any byte sequence terminates with either a layout
 * or a {@link WavException}.
 */
final class RiffScanner {

    static final int RIFF = fourCc("RIFF");
    static final int WAVE = fourCc("WAVE");
    static final int FMT = fourCc("fmt ");
    static final int DATA = fourCc("data");
    static final int FACT = fourCc("fact");

    static final int TAG_EXTENSIBLE = 0xFFFE;
    static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

    /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE GUIDs for the classic format tags. */
    private static final byte[] GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };

    private static final String SUPPORTED =
            "supported: 1 (PCM 16-bit), 6 (A-law), 7 (µ-law), and 0xFFFE (extensible) with one of those subformats";

    /**
     * What the scan found.
     *
     * @param format       validated format
     * @param fileSize     file length when scanned
     * @param riffSize     RIFF size field
     * @param dataStart    offset of the first data byte
     * @param declaredData data chunk size field (unsigned)
     * @param factPayload  offset of the fact chunk's sample count, or -1
     */
    record Layout(WavFormat format, long fileSize, long riffSize, long dataStart, long declaredData, long factPayload) {
    }

    private RiffScanner() {
    }

    static int fourCc(String s) {
        return (s.charAt(0) & 0xFF) | (s.charAt(1) & 0xFF) << 8 | (s.charAt(2) & 0xFF) << 16 | (s.charAt(3) & 0xFF) << 24;
    }

    /** Renders a chunk id for a message, escaping bytes that are not printable ASCII. */
    static String describeId(int id) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < 4; i++) {
            int c = (id >>> (8 * i)) & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.append('\'').toString();
    }

    /** Chunk ids are four printable ASCII characters; used to tell a real chunk from audio or garbage. */
    static boolean plausibleId(int id) {
        for (int i = 0; i < 4; i++) {
            int c = (id >>> (8 * i)) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Reads until {@code buf} is full or end of file; returns the number of bytes read. */
    static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Reads the 4-byte id at {@code pos}, or returns 0 (never plausible) if it is past the end. */
    private static int idAt(FileChannel ch, long pos, long size, ByteBuffer scratch) throws IOException {
        if (pos + 8 > size) {
            return 0;
        }
        scratch.clear().limit(4);
        if (readFully(ch, scratch, pos) < 4) {
            return 0;
        }
        return scratch.getInt(0);
    }

    static Layout scan(Path file, FileChannel ch, Problems problems) throws IOException {
        long size = ch.size();
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        if (size < 12) {
            throw new WavException(file, "truncated header: the file is " + size
                    + " bytes, shorter than the 12-byte RIFF/WAVE header");
        }
        b.clear().limit(12);
        if (readFully(ch, b, 0) < 12) {
            throw new WavException(file, "truncated header: could not read the 12-byte RIFF/WAVE header");
        }
        int riff = b.getInt(0);
        if (riff != RIFF) {
            String hint = riff == fourCc("RIFX") ? " (big-endian RIFX is not supported)"
                    : riff == fourCc("RF64") ? " (RF64 is not supported)" : "";
            throw new WavException(file, "not a RIFF file: it starts with " + describeId(riff) + hint);
        }
        long riffSize = b.getInt(4) & 0xFFFFFFFFL;
        int form = b.getInt(8);
        if (form != WAVE) {
            throw new WavException(file, "not a WAVE file: the RIFF form type is " + describeId(form));
        }

        WavFormat format = null;
        long dataStart = -1;
        long declaredData = -1;
        long factPayload = -1;
        long pos = 12;
        while (pos + 8 <= size) {
            b.clear().limit(8);
            if (readFully(ch, b, pos) < 8) {
                break;
            }
            int id = b.getInt(0);
            long chunkSize = b.getInt(4) & 0xFFFFFFFFL;
            long payload = pos + 8;
            if (id == FMT) {
                if (format != null) {
                    problems.add(Problems.Kind.DUPLICATE_CHUNK, "second fmt chunk at offset " + pos + " ignored");
                } else {
                    format = parseFmt(file, ch, payload, chunkSize, size, b, problems);
                }
            } else if (id == DATA) {
                if (dataStart >= 0) {
                    problems.add(Problems.Kind.DUPLICATE_CHUNK, "second data chunk at offset " + pos + " ignored");
                } else {
                    dataStart = payload;
                    declaredData = chunkSize;
                    if (format != null) {
                        break; // everything needed is known; audio follows
                    }
                    boolean extentKnown = chunkSize != 0 && chunkSize != UNKNOWN_SIZE && payload + chunkSize <= size;
                    if (!extentKnown) {
                        break; // cannot skip a data chunk of unknown length to look for fmt
                    }
                }
            } else if (id == FACT) {
                if (factPayload < 0 && chunkSize >= 4 && payload + 4 <= size) {
                    factPayload = payload;
                }
            } else {
                problems.add(Problems.Kind.UNKNOWN_CHUNK_SKIPPED,
                        "chunk " + describeId(id) + " of " + chunkSize + " bytes at offset " + pos);
            }
            long next = payload + chunkSize;
            if ((chunkSize & 1) != 0) {
                // RIFF pads odd chunks to even length; some writers forget. Trust whichever
                // position holds something that looks like a chunk id, preferring the standard one.
                if (!plausibleId(idAt(ch, next + 1, size, b)) && plausibleId(idAt(ch, next, size, b))) {
                    problems.add(Problems.Kind.ODD_CHUNK_UNPADDED,
                            "odd-sized chunk " + describeId(id) + " at offset " + pos + " has no pad byte");
                } else {
                    next++;
                }
            }
            pos = next;
        }

        if (format == null) {
            throw new WavException(file, dataStart >= 0
                    ? "no fmt chunk before the data chunk (data of unknown length cannot be skipped)"
                    : "no fmt chunk");
        }
        if (dataStart < 0) {
            throw new WavException(file, "no data chunk");
        }
        if (riffSize + 8 != size) {
            problems.add(Problems.Kind.RIFF_SIZE_WRONG,
                    "RIFF size field says " + (riffSize + 8) + " bytes, the file has " + size);
        }
        return new Layout(format, size, riffSize, dataStart, declaredData, factPayload);
    }

    private static WavFormat parseFmt(Path file, FileChannel ch, long payload, long chunkSize, long fileSize,
                                      ByteBuffer b, Problems problems) throws IOException {
        if (chunkSize < 16) {
            throw new WavException(file, "fmt chunk is " + chunkSize + " bytes, at least 16 are needed");
        }
        int want = (int) Math.min(chunkSize, 40);
        if (payload + Math.min(want, 16) > fileSize) {
            throw new WavException(file, "truncated header: the fmt chunk is cut off by the end of the file");
        }
        b.clear().limit(want);
        int got = readFully(ch, b, payload);
        if (got < 16) {
            throw new WavException(file, "truncated header: the fmt chunk is cut off by the end of the file");
        }
        int tag = b.getShort(0) & 0xFFFF;
        int channels = b.getShort(2) & 0xFFFF;
        long rate = b.getInt(4) & 0xFFFFFFFFL;
        long byteRate = b.getInt(8) & 0xFFFFFFFFL;
        int blockAlign = b.getShort(12) & 0xFFFF;
        int bits = b.getShort(14) & 0xFFFF;

        int effectiveTag = tag;
        if (tag == TAG_EXTENSIBLE) {
            if (chunkSize < 40) {
                throw new WavException(file, "WAVE_FORMAT_EXTENSIBLE fmt chunk is " + chunkSize
                        + " bytes, 40 are needed");
            }
            if (got < 40) {
                throw new WavException(file, "truncated header: the extensible fmt chunk is cut off by the end of the file");
            }
            effectiveTag = b.getShort(24) & 0xFFFF;
            for (int i = 0; i < GUID_TAIL.length; i++) {
                if (b.get(26 + i) != GUID_TAIL[i]) {
                    throw new WavException(file, "unsupported encoding: WAVE_FORMAT_EXTENSIBLE with a subformat GUID "
                            + "that is not a standard format tag; " + SUPPORTED);
                }
            }
        }
        WavEncoding encoding = WavEncoding.forTag(effectiveTag);
        if (encoding == null) {
            String which = tag == TAG_EXTENSIBLE
                    ? "WAVE_FORMAT_EXTENSIBLE subformat " + tagName(effectiveTag)
                    : "format tag " + tagName(effectiveTag);
            throw new WavException(file, "unsupported encoding: " + which + "; " + SUPPORTED);
        }
        if (bits != encoding.bitsPerSample()) {
            throw new WavException(file, "bits per sample is " + bits + " but " + encoding
                    + " needs " + encoding.bitsPerSample());
        }
        if (channels == 0 || channels > 2) {
            throw new WavException(file, "channel count is " + channels + "; supported: 1 or 2");
        }
        if (rate == 0 || rate > Integer.MAX_VALUE) {
            throw new WavException(file, "sample rate " + rate + " Hz is invalid");
        }
        WavFormat format = new WavFormat(encoding, (int) rate, channels);
        if (blockAlign != format.blockAlign() || byteRate != rate * format.blockAlign()) {
            problems.add(Problems.Kind.FMT_INCONSISTENT, "fmt says block align " + blockAlign + " and byte rate "
                    + byteRate + "; using " + format.blockAlign() + " and " + rate * format.blockAlign());
        }
        return format;
    }

    private static String tagName(int tag) {
        String name = switch (tag) {
            case 2 -> " (MS ADPCM)";
            case 3 -> " (IEEE float)";
            case 0x11 -> " (IMA ADPCM)";
            case 0x31 -> " (GSM 6.10)";
            case 0x55 -> " (MPEG layer 3)";
            default -> "";
        };
        return tag + String.format(" (0x%04X)", tag) + name;
    }
}
