package org.switchboard.core.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.switchboard.core.api.CallerId;

/**
 * Whiteboard: a driver registers one service per line it runs (an analog port, a GSM module, a
 * trunk), so the core and the shell see every line of the box whatever its driver.
 */
@ConsumerType
public interface Line {

    /** Unique in the box, as in the hardware profile, e.g. {@code lab-1}, {@code pstn-2}. */
    String id();

    /** The card of the hardware profile that the line belongs to. */
    String cardId();

    LineKind kind();

    /** The line's own phone number, if the profile gives one; empty otherwise. */
    String number();

    /** The current health; cheap, called by the shell. */
    LineStatus status();

    /**
     * Driver-specific facts for {@code line:info}, in display order (modem model, port, frames heard,
     * ...). Cheap; called by the shell.
     */
    default Map<String, String> details() {
        return Map.of();
    }

    /**
     * Dials out. The driver creates its side of the leg and returns it; it reports progress through
     * {@code signals}. Must return at once.
     *
     * @throws LineUnavailableException when the line cannot take a call now (busy, offline, no dial-out)
     */
    default DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        throw new LineUnavailableException("line " + id() + " cannot dial out");
    }
}
