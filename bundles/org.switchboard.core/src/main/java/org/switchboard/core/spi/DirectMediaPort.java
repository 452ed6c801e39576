package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A media port that can pass what it receives straight to another port's far end, packet by
 * packet, without decoding and without waiting for the media clock (native bridging of two RTP
 * legs with the same codec: no jitter-buffer delay, a fraction of the CPU).
 * <p>
 * The core asks for it when it bridges two such ports and nothing needs their audio as frames
 * (no playback); it stops it, before anything needs frames again. Both calls come from the media
 * clock thread, between ticks; while relaying, the clock neither reads nor writes the two ports.
 */
@ConsumerType
public interface DirectMediaPort extends MediaPort {

    /**
     * Starts passing what this port receives to {@code peer}'s far end.
     *
     * @return false when it cannot (different codecs, in-band DTMF detection needed, another kind of port)
     */
    boolean relayTo(MediaPort peer);

    /** Back to frames: from the next tick the clock reads and writes this port again. */
    void stopRelay();
}
