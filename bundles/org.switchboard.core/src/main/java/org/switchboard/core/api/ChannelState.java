package org.switchboard.core.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state machine of one leg. Inbound legs start {@link #RINGING}, outbound legs start {@link #IDLE}
 * and go through {@link #DIALING}; every state may end in {@link #HUNG_UP}, which is final.
 */
public enum ChannelState {
    /** Created for an outbound call, nothing sent to the line yet. */
    IDLE,
    /** Inbound: the line rings and waits for the box to answer. */
    RINGING,
    /** Outbound: the number has been sent to the line. */
    DIALING,
    /** Outbound: the far end is ringing (alerting / 180). */
    ALERTING,
    /** Audio flows; the leg is not connected to another one. */
    ANSWERED,
    /** Audio flows to and from another leg. */
    BRIDGED,
    /** Final. */
    HUNG_UP;

    private Set<ChannelState> next;

    static {
        IDLE.next = EnumSet.of(DIALING, RINGING, HUNG_UP);
        RINGING.next = EnumSet.of(ANSWERED, HUNG_UP);
        DIALING.next = EnumSet.of(ALERTING, ANSWERED, HUNG_UP);
        ALERTING.next = EnumSet.of(ANSWERED, HUNG_UP);
        ANSWERED.next = EnumSet.of(BRIDGED, HUNG_UP);
        BRIDGED.next = EnumSet.of(ANSWERED, HUNG_UP);
        HUNG_UP.next = EnumSet.noneOf(ChannelState.class);
    }

    /** Whether the state machine allows going from this state to {@code to}. */
    public boolean canGoTo(ChannelState to) {
        return next.contains(to);
    }

    /** Whether audio flows in this state. */
    public boolean isUp() {
        return this == ANSWERED || this == BRIDGED;
    }
}
