package org.switchboard.core.api;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One leg of a call: an analog line, an E1 B-channel, a SIP dialog. A read-only view; change it
 * through {@link CallControl}. Values are the latest ones the call's executor has published, so
 * they may be a moment behind when read from another thread.
 */
@ProviderType
public interface Channel {

    /** Unique in the box while it runs, e.g. {@code lab-1/7}: the line, a slash, a sequence number. */
    String id();

    /** The line (or trunk) that carries the leg. */
    String lineId();

    /** The call this leg belongs to. */
    String callId();

    Direction direction();

    ChannelState state();

    /** For inbound legs the caller, for outbound legs what the box presented. */
    CallerId callerId();

    /** The number that was called: DID or DNIS for inbound legs, the dialled number for outbound legs. */
    String calledNumber();

    Instant createdAt();

    /** When audio started flowing, if it did. */
    Optional<Instant> answeredAt();

    /** When the leg ended, if it did. */
    Optional<Instant> endedAt();

    /** Why the leg ended, once it has. */
    Optional<HangupCause> hangupCause();

    /** The leg this one is bridged to, if any. */
    Optional<String> bridgedTo();

    /** The last keys (DTMF) the far end pressed, oldest first, at most 32; for the technician's eyes. */
    String keysReceived();

    /** 20 ms frames read from the line since the leg came up. */
    long framesIn();

    /** 20 ms frames written to the line since the leg came up. */
    long framesOut();

    /**
     * Whether the leg's audio goes straight to its bridged peer, packet by packet (two RTP legs
     * with the same codec): frames are then not counted.
     */
    boolean mediaRelayed();
}
