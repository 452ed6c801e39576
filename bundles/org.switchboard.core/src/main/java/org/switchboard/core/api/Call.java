package org.switchboard.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A call: the legs that one origination brought together (the caller's leg and any leg the box
 * dialled for it). It ends when its last leg hangs up.
 */
@ProviderType
public interface Call {

    /** Unique over the life of the box and sortable by start time, e.g. {@code mhq8x2k3a}. */
    String id();

    Instant startedAt();

    /** The legs, first the one that started the call. */
    List<Channel> channels();

    /** The leg that started the call. */
    Channel origin();

    /** The leg with this id, if it belongs to this call. */
    Optional<Channel> channel(String channelId);

    /** Whether every leg has hung up. */
    boolean ended();
}
