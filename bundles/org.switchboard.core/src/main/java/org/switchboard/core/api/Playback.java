package org.switchboard.core.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/** A source being played to a leg. */
@ProviderType
public interface Playback {

    /** How a playback ended. */
    enum End {
        /** The source ran out. */
        COMPLETED,
        /** A key was pressed and the playback allowed barge-in. The key stays buffered for the next collect. */
        BARGED_IN,
        /** Stopped by {@link #stop()} or replaced by another playback. */
        STOPPED,
        /** The leg hung up. */
        HANGUP
    }

    /** Completes, on the call's executor, when the playback is over. */
    CompletionStage<End> done();

    /** Stops it at the next frame; harmless when already over. */
    void stop();
}
