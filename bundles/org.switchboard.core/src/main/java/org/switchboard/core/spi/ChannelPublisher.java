package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ProviderType;
import org.switchboard.core.api.CallerId;

/** The core service that drivers hand their inbound calls to. */
@ProviderType
public interface ChannelPublisher {

    /**
     * A call arrived on a line: the core creates a ringing leg and a call for it and offers the call
     * to the inbound call handler.
     *
     * @param lineId       the line it arrived on (a registered {@link Line})
     * @param callerId     the caller, {@link CallerId#UNKNOWN} if not (yet) known
     * @param calledNumber the DID/DNIS, or the line's own number where the line has no DID
     * @param channel      the driver's side of the leg
     * @return where the driver reports what happens next on the leg
     */
    ChannelSignals inbound(String lineId, CallerId callerId, String calledNumber, DriverChannel channel);
}
