package org.switchboard.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Audio that the box plays to a leg: a prompt, a tone, a generated number. Pulled by the media
 * clock, one 20 ms frame per tick, so {@link #read(short[])} runs on the clock thread: it must not
 * block, allocate, or do I/O that can wait (read files ahead, into memory).
 */
@ConsumerType
public interface AudioSource {

    /**
     * Fills {@code frame} ({@link MediaFormat#SAMPLES_PER_FRAME} samples of 16-bit linear PCM at 8 kHz).
     *
     * @return false when the source has ended (the frame is then ignored)
     */
    boolean read(short[] frame);

    /** Called once, off the clock thread, when the playback is over: release what the source holds. */
    default void close() {
    }
}
