package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A leg's audio, in frames of 20 ms of 16-bit linear PCM at 8 kHz (160 samples). Implemented by
 * drivers; called only from the media clock thread, once per direction per tick while the leg is
 * up. Implementations read from and write to buffers that their I/O threads fill and drain: they
 * must not block, allocate, or throw in normal operation.
 */
@ConsumerType
public interface MediaPort {

    /**
     * Fills {@code frame} with the next 20 ms heard from the far end.
     *
     * @return false when nothing was there to hear (the frame is then treated as silence)
     */
    boolean read(short[] frame);

    /** Sends 20 ms to the far end; the array is reused after the call returns. */
    void write(short[] frame);
}
