package org.switchboard.media.rtp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears the keys a stream receives as RFC 4733 telephone-events: once per key press, when it ends
 * (or when it is clear it ended). Called on the media clock thread: only hand the key on.
 */
@ConsumerType
@FunctionalInterface
public interface DtmfListener {

    void onDtmf(char digit, int durationMs);
}
