package org.switchboard.media.wav;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A WAV file could not be used. It extends {@link IOException} so callers that already handle
 * I/O failures handle unusable files too, and its message always names the file and the reason,
 * because the operator fixing a prompt needs both.
 */
public class WavException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public WavException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public WavException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String reason() {
        return reason;
    }
}
