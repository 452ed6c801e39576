package org.switchboard.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A line's health as the technician sees it.
 *
 * @param health    ONLINE, DEGRADED or OFFLINE
 * @param reason    why, when not ONLINE (e.g. "port /dev/ttyUSB0 missing"); empty when ONLINE
 * @param signal    signal strength in percent where the line has one (GSM), else empty
 * @param lastError the last error seen on the line, even if it recovered; empty if none
 * @param since     when the health last changed
 */
public record LineStatus(LineHealth health, String reason, OptionalInt signal, String lastError, Instant since) {

    public LineStatus {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(since, "since");
    }

    public static LineStatus online(Instant since) {
        return new LineStatus(LineHealth.ONLINE, "", OptionalInt.empty(), "", since);
    }

    public static LineStatus offline(String reason, Instant since) {
        return new LineStatus(LineHealth.OFFLINE, reason, OptionalInt.empty(), reason, since);
    }
}
