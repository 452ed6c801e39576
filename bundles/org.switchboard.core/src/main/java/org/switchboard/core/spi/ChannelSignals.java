package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ProviderType;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;

/**
 * How a driver tells the core what its line did. Thread-safe and non-blocking: call from any I/O
 * thread; the core applies the signal on the call's executor. Signals that make no sense in the
 * leg's state (an answer after hangup) are counted and ignored, never thrown back at the driver.
 */
@ProviderType
public interface ChannelSignals {

    /** The core's id of the leg, for the driver's logs. */
    String channelId();

    /** Outbound: the far end rings. */
    void alerting();

    /** Audio flows (inbound after {@link DriverChannel#answer()}, outbound when the far end picks up). */
    void answered();

    /** The caller ID arrived or changed. */
    void callerId(CallerId callerId);

    /** A key from the far end. */
    void dtmf(char digit, int durationMs);

    /** The far end hung up, or the line failed. */
    void hungUp(HangupCause cause);
}
