package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.switchboard.core.api.HangupCause;

/**
 * The driver's side of a leg: what the core asks the line to do. Every method starts the work and
 * returns at once; the outcome comes back through {@link ChannelSignals}. Called on the call's
 * executor, never from the media clock.
 */
@ConsumerType
public interface DriverChannel {

    /** Take the ringing call off hook; signal {@link ChannelSignals#answered()} when audio flows. */
    void answer();

    /** Release the leg. The core considers it down at once and expects no further signals. */
    void hangup(HangupCause cause);

    /** Send keys to the far end (RFC 4733, AT+VTS, in-band tones, whatever the line does). */
    default void sendDtmf(String keys) {
        throw new UnsupportedOperationException("this line cannot send DTMF");
    }

    /** The leg's audio. */
    MediaPort media();
}
