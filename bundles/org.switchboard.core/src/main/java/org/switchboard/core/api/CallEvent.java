package org.switchboard.core.api;

/**
 * What happens to calls. Delivered to {@link CallEventListener}s on the call's own executor, in the
 * order it happened for that call; events of different calls may interleave.
 */
public sealed interface CallEvent {

    /** The call the event belongs to. */
    Call call();

    /** A leg joined the call: an inbound leg when it starts ringing, an outbound leg when it is created. */
    record ChannelAdded(Call call, Channel channel) implements CallEvent {
    }

    /** The caller ID of a leg arrived or changed (analog lines deliver it between rings). */
    record CallerIdChanged(Call call, Channel channel, CallerId callerId) implements CallEvent {
    }

    /** A leg moved in its state machine. */
    record StateChanged(Call call, Channel channel, ChannelState from, ChannelState to) implements CallEvent {
    }

    /**
     * A key was pressed on the far end of a leg.
     *
     * @param digit      one of {@code 0-9 * # A-D}
     * @param durationMs how long it was held, 0 when the line does not say
     */
    record DtmfReceived(Call call, Channel channel, char digit, int durationMs) implements CallEvent {
    }

    /** Two legs now hear each other. */
    record Bridged(Call call, Channel a, Channel b) implements CallEvent {
    }

    /** A leg hung up; {@code byFarEnd} tells whether the line (not the box) ended it. */
    record ChannelHungUp(Call call, Channel channel, HangupCause cause, boolean byFarEnd) implements CallEvent {
    }

    /** The last leg of the call hung up. */
    record CallEnded(Call call) implements CallEvent {
    }
}
