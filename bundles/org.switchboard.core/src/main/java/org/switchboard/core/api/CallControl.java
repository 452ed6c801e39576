package org.switchboard.core.api;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Call control for applications. Every method is thread-safe and returns at once: the work runs on
 * the call's serialized executor, and the returned stage completes there (failed with
 * {@link CallControlException} when the leg is in the wrong state or gone).
 */
@ProviderType
public interface CallControl {

    /** The calls that have not ended, oldest first. */
    Collection<Call> calls();

    Optional<Call> call(String callId);

    /** The leg with this id, in whichever call. */
    Optional<Channel> channel(String channelId);

    /** Answers a ringing inbound leg; completes when audio flows. */
    CompletionStage<Void> answer(Channel channel);

    /** Hangs up one leg; completes when it is down. Hanging up a leg that is down already is not an error. */
    CompletionStage<Void> hangup(Channel channel, HangupCause cause);

    /** Hangs up every leg of a call. */
    CompletionStage<Void> hangup(Call call, HangupCause cause);

    /**
     * Dials out on a line, as a new leg of {@code call}. Completes with the leg as soon as the line
     * has taken the request; follow its state through events.
     *
     * @param lineId   the line (or trunk) to dial out on
     * @param number   the number to dial
     * @param callerId what to present, where the line allows it
     */
    CompletionStage<Channel> originate(Call call, String lineId, String number, CallerId callerId);

    /**
     * Dials out on a line as the first leg of a new call (a technician's test call, a callback).
     * Completes with the leg as soon as the line has taken the request.
     *
     * @since 1.1
     */
    CompletionStage<Channel> dial(String lineId, String number, CallerId callerId);

    /**
     * Connects two answered legs of the same call so they hear each other. When one of them hangs up,
     * the other one is hung up too if {@code endTogether}, or else goes back to {@link ChannelState#ANSWERED}
     * for the application to continue (e.g. a satisfaction survey after the agent hangs up).
     */
    CompletionStage<Void> bridge(Channel a, Channel b, boolean endTogether);

    /**
     * Connects a caller to whoever took the call, as {@link #bridge} does, ending them unevenly:
     * when {@code caller} hangs up, {@code other} is hung up with it at once; when {@code other}
     * hangs up first, {@code caller} goes back to {@link ChannelState#ANSWERED} for the application
     * to continue with (the post-call survey). A transfer that bridges either leg elsewhere ends
     * this pairing.
     *
     * @since 1.3
     */
    CompletionStage<Void> bridgeKeepingCaller(Channel caller, Channel other);

    /** Separates a bridged leg from its peer; both stay answered. */
    CompletionStage<Void> unbridge(Channel channel);

    /**
     * Plays audio to an answered leg, replacing any playback already running on it. While it plays
     * the leg does not hear its bridged peer.
     *
     * @param bargeIn whether a key press stops it
     */
    Playback play(Channel channel, AudioSource source, boolean bargeIn);

    /** Collects keys from a leg. Only one collection per leg at a time; a new one cancels the old. */
    CompletionStage<DigitResult> collectDigits(Channel channel, DigitRequest request);

    /** Forgets keys pressed but not collected yet. */
    void flushDigits(Channel channel);

    /**
     * Taps what a leg hears, frame by frame, until the returned handle is closed or the leg goes
     * down. While tapped, a bridged leg's audio moves as frames (no direct relay).
     *
     * @throws CallControlException when the leg carries no audio (not answered, or down)
     * @since 1.2
     */
    AutoCloseable listen(Channel channel, AudioSink sink);

    /** Sends DTMF keys to the far end of a leg, where the line can. */
    CompletionStage<Void> sendDtmf(Channel channel, String keys);
}
