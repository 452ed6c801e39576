package org.switchboard.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.switchboard.core.api.AudioSource;
import org.switchboard.core.api.Playback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source playing to one leg. Ends exactly once, on the call's executor. */
final class PlaybackImpl implements Playback {

    private static final Logger LOG = LoggerFactory.getLogger(PlaybackImpl.class);

    private final AudioSource source;
    private final boolean bargeIn;
    private final SerialExecutor executor;
    private final CompletableFuture<End> done = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private MediaLeg leg;

    PlaybackImpl(AudioSource source, boolean bargeIn, SerialExecutor executor) {
        this.source = source;
        this.bargeIn = bargeIn;
        this.executor = executor;
    }

    AudioSource source() {
        return source;
    }

    boolean bargeIn() {
        return bargeIn;
    }

    boolean isStopRequested() {
        return stopRequested;
    }

    /** Executor: starts playing on the leg, replacing what played before. */
    void startOn(MediaLeg target) {
        this.leg = target;
        PlaybackImpl previous = target.playback.getAndSet(this);
        if (previous != null) {
            previous.end(End.STOPPED);
        }
    }

    @Override
    public CompletionStage<End> done() {
        return done;
    }

    @Override
    public void stop() {
        stopRequested = true;
        executor.execute(() -> end(End.STOPPED));
    }

    /** Clock thread: the source ran out or a stop was seen. */
    void endedOnClock() {
        executor.execute(() -> end(stopRequested ? End.STOPPED : End.COMPLETED));
    }

    /** Executor: ends the playback once; later calls do nothing. */
    void end(End how) {
        if (done.isDone()) {
            return;
        }
        stopRequested = true;
        if (leg != null) {
            leg.playback.compareAndSet(this, null);
        }
        try {
            source.close();
        } catch (RuntimeException e) {
            LOG.warn("closing audio source {} failed", source, e);
        }
        done.complete(how);
    }
}
