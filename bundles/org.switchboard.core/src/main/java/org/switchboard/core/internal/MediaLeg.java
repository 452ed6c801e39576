package org.switchboard.core.internal;

import java.util.concurrent.atomic.AtomicReference;

import org.switchboard.core.api.MediaFormat;
import org.switchboard.core.spi.MediaPort;

/**
 * The audio side of one up leg, as the media clock sees it. The clock reads every leg first, then
 * writes every leg, so a bridge is just a reference to the peer's inbound frame: no copy, no lock,
 * no allocation per frame.
 */
final class MediaLeg {

    final ChannelImpl channel;
    private final MediaPort port;
    private final short[] in = MediaFormat.newFrame();
    private final short[] out = MediaFormat.newFrame();
    private boolean heard;

    /** The bridged peer; written by call control, read by the clock. */
    volatile MediaLeg peer;
    /** What is being played to the leg; replaced by call control, cleared by the clock when it ends. */
    final AtomicReference<PlaybackImpl> playback = new AtomicReference<>();

    /** Set between ticks: the port passes packets straight to its peer; the clock leaves it alone. */
    boolean relaying;
    /** The same, for other threads (the shell). */
    volatile boolean relayed;

    /** Taps listening to this leg (CallControl.listen); while any, the leg is never relayed. */
    final java.util.concurrent.atomic.AtomicInteger taps = new java.util.concurrent.atomic.AtomicInteger();

    volatile long framesIn;
    volatile long framesOut;
    volatile long errors;

    MediaLeg(ChannelImpl channel, MediaPort port) {
        this.channel = channel;
        this.port = port;
    }

    MediaPort port() {
        return port;
    }

    /** Clock thread, phase one. */
    void read() {
        if (relaying) {
            heard = false;
            return;
        }
        try {
            heard = port.read(in);
            if (heard) {
                framesIn++;
            }
        } catch (RuntimeException e) {
            heard = false;
            fault(e);
        }
    }

    /** Clock thread, phase two: a playback wins over the peer's audio. */
    void write() {
        if (relaying) {
            return;
        }
        try {
            PlaybackImpl p = playback.get();
            if (p != null) {
                if (!p.isStopRequested() && p.source().read(out)) {
                    port.write(out);
                    framesOut++;
                    return;
                }
                if (playback.compareAndSet(p, null)) {
                    p.endedOnClock();
                }
            }
            MediaLeg other = peer;
            if (other != null && other.heard) {
                port.write(other.in);
                framesOut++;
            }
        } catch (RuntimeException e) {
            fault(e);
        }
    }

    /** The last frame heard, for taps running as media tasks after the write phase. */
    short[] lastHeard() {
        return heard ? in : null;
    }

    private void fault(RuntimeException e) {
        if (errors++ == 0) {
            channel.engine().mediaFault(channel, e);
        }
    }
}
