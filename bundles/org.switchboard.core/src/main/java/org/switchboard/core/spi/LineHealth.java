package org.switchboard.core.spi;

/** Whether a line can carry calls. */
public enum LineHealth {
    /** Works. */
    ONLINE,
    /** Carries calls but something is wrong (weak signal, errors counted); the reason says what. */
    DEGRADED,
    /** Cannot carry calls (port missing, alarm, not registered); the reason says why. */
    OFFLINE
}
