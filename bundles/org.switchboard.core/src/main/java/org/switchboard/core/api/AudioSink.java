package org.switchboard.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what a leg hears from its far end, 20 ms at a time (voicemail, recordings). Called on
 * the media clock thread after the tick's audio has moved: copy the frame into memory you own and
 * return; never block, allocate or do I/O here (a writer thread of your own drains what you copy).
 */
@ConsumerType
@FunctionalInterface
public interface AudioSink {

    /**
     * @param frame {@link MediaFormat#SAMPLES_PER_FRAME} samples; reused after the call returns
     * @param heard false when nothing came from the far end this tick (the frame is silence)
     */
    void write(short[] frame, boolean heard);
}
