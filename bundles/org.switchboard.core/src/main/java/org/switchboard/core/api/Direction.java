package org.switchboard.core.api;

/** Who started the leg. */
public enum Direction {
    /** The far end called the box. */
    INBOUND,
    /** The box called out. */
    OUTBOUND
}
