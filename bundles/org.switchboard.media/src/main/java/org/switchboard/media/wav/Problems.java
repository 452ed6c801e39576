package org.switchboard.media.wav;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Defects a {@link WavReader} tolerated in a file. Kept so that callers can log or report
 * sloppy files (for instance a recording that was cut short) instead of them passing silently.
 */
public final class Problems {

    /** Kinds of tolerated defects. */
    public enum Kind {
        /** The data chunk claims more bytes than the file holds; read to end of file. */
        DATA_TRUNCATED,
        /** The data size is 0 or 0xFFFFFFFF although audio follows (streamed or crashed writer); read to end of file. */
        DATA_SIZE_UNKNOWN,
        /** The data ends in an incomplete sample frame, which is ignored. */
        PARTIAL_FRAME,
        /** The RIFF size does not match the file length. */
        RIFF_SIZE_WRONG,
        /** An odd-sized chunk lacks its pad byte. */
        ODD_CHUNK_UNPADDED,
        /** A chunk we do not interpret (LIST, bext, junk, ...) was skipped. */
        UNKNOWN_CHUNK_SKIPPED,
        /** A second fmt or data chunk was ignored. */
        DUPLICATE_CHUNK,
        /** Block align or byte rate in fmt disagree with the format; the computed values are used. */
        FMT_INCONSISTENT,
        /** The file got shorter while it was being read. */
        FILE_SHRANK
    }

    /** One tolerated defect with a human-readable detail. */
    public record Problem(Kind kind, String detail) {
        @Override
        public String toString() {
            return kind + ": " + detail;
        }
    }

    private final List<Problem> problems = new ArrayList<>();

    Problems() {
    }

    void add(Kind kind, String detail) {
        problems.add(new Problem(kind, detail));
    }

    /** All defects in the order they were found. */
    public List<Problem> list() {
        return Collections.unmodifiableList(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public boolean has(Kind kind) {
        for (Problem p : problems) {
            if (p.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return problems.toString();
    }
}
