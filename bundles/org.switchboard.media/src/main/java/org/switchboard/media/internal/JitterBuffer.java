package org.switchboard.media.internal;

import org.switchboard.core.api.MediaFormat;

/**
 * An adaptive jitter buffer for one stream, addressed by RTP timestamp: each sample lands at its
 * timestamp in a ring, so reordering, duplicates, any packet time (10..60 ms) and timestamp
 * wrap-around need no special case; a sample is valid only if the ring slot carries its own
 * timestamp. Confined to the media clock thread: no locks, no allocation after construction.
 * <p>
 * Playout follows the media clock: the sample to play now is {@code now - offset}, where
 * {@code offset} is the smallest recent transit time (arrival minus timestamp) plus the target
 * delay. The target adapts to the measured jitter (RFC 3550 estimator) between the configured
 * minimum and maximum; it is applied at the start of each talkspurt (marker bit, or a timestamp
 * jump after silence) and, within a long talkspurt, by dropping or inserting one frame when the
 * depth drifts a whole frame away from it: a peer whose clock runs fast or slow stays in step.
 * Missing audio is concealed by repeating the last good frame, fading, for up to 60 ms, then
 * silence.
 */
final class JitterBuffer {

    static final int FRAME = MediaFormat.SAMPLES_PER_FRAME;
    /** Samples the ring holds: 512 ms, above the largest target plus a burst. */
    static final int RING = 4096;
    private static final int MASK = RING - 1;
    private static final int CONCEAL_FRAMES = 3;
    /** Ticks the depth must stay a frame off target before a frame is dropped or inserted. */
    private static final int DRIFT_PATIENCE = 50;
    /** A timestamp jump this far past the newest audio is silence suppression, not jitter. */
    private static final int TALKSPURT_GAP = 10 * FRAME;
    /** Late packets in a row after which the playout point moves to them. */
    private static final int LATE_RUN_RESYNC = 3;
    private int lateRun;

    private final short[] ring = new short[RING];
    private final int[] stamp = new int[RING];
    private final short[] last = new short[FRAME];
    private final short[] out = new short[FRAME];
    private long lastGet = Long.MIN_VALUE;
    private boolean lastResult;
    private final int minDelay;
    private final int maxDelay;

    private boolean started;
    private boolean resyncPending;
    private long offset;
    private int highestEnd;
    private int lastArrivalTs;
    private long extLast;
    private long lastArrival;
    private double jitter;
    /** Frames concealed in a row; starts "used up", so nothing is made up before the first real audio. */
    private int concealRun = CONCEAL_FRAMES;
    private int driftTicks;
    private int target;

    long received;
    long late;
    long duplicates;
    long concealed;
    long skipped;
    long stretched;
    long resyncs;

    /** @param minDelayMs smallest target delay; @param maxDelayMs largest target delay (at most 400) */
    JitterBuffer(int minDelayMs, int maxDelayMs) {
        this.minDelay = minDelayMs * 8;
        this.maxDelay = Math.min(maxDelayMs, 400) * 8;
        this.target = minDelay;
        // a slot is valid only when it carries its own timestamp; ~i never has the low bits of i
        for (int i = 0; i < RING; i++) {
            stamp[i] = ~i;
        }
    }

    /**
     * Stores decoded audio.
     *
     * @param ts      the RTP timestamp of the first sample
     * @param marker  the RTP marker bit (start of a talkspurt)
     * @param arrival when it arrived, in samples of media time
     * @return false when it came too late to play
     */
    boolean put(int ts, boolean marker, short[] samples, int off, int n, long arrival) {
        received++;
        long ext = extend(ts);
        long transit = arrival - ext;
        updateJitter(ts, arrival);
        if (!started || marker || ts - highestEnd > TALKSPURT_GAP) {
            // first packet, or a new talkspurt (marked, or after a gap jitter cannot explain):
            // play it after the target delay from now on
            resyncPending = true;
        }
        if (resyncPending) {
            offset = aligned(transit + target, ts);
            started = true;
            resyncPending = false;
            resyncs++;
            driftTicks = 0;
        }
        lastArrival = arrival;
        extLast = ext;
        lastArrivalTs = ts;
        int play = playTs(arrival);
        if (ts + n - play <= 0) {
            late++;
            if (++lateRun < LATE_RUN_RESYNC) {
                return false;
            }
            // the peer paused and went on where it stopped (no marker, small timestamp gap):
            // everything would stay late; start afresh from this packet
            offset = aligned(transit + target, ts);
            resyncs++;
            play = playTs(arrival);
        }
        lateRun = 0;
        if (ts - play >= RING - FRAME) {
            // far ahead of playout: the peer jumped; follow it
            offset = aligned(transit + target, ts);
            resyncs++;
        }
        boolean dup = true;
        for (int i = 0; i < n; i++) {
            int t = ts + i;
            int idx = t & MASK;
            if (stamp[idx] != t) {
                dup = false;
                stamp[idx] = t;
            }
            ring[idx] = samples[off + i];
        }
        if (dup) {
            duplicates++;
        }
        if (ts + n - highestEnd > 0 || received == 1) {
            highestEnd = ts + n;
        }
        return true;
    }

    /**
     * Rounds the offset up (by less than a frame) so that playout frames, taken at media times that
     * are whole frames, start where the peer's packets start: a frame then comes from one packet.
     */
    private static long aligned(long offset, int ts) {
        long want = Math.floorMod(-(long) ts, FRAME);
        long have = Math.floorMod(offset, FRAME);
        return offset + Math.floorMod(want - have, FRAME);
    }

    /** The timestamp extended to 64 bits by its distance from the last one, so wrap-around is seamless. */
    private long extend(int ts) {
        return received <= 1 ? ts & 0xFFFFFFFFL : extLast + (ts - lastArrivalTs);
    }

    private int playTs(long now) {
        return (int) (now - offset);
    }

    private void updateJitter(int ts, long arrival) {
        if (received > 1) {
            long d = (arrival - lastArrival) - (ts - lastArrivalTs);
            jitter += (Math.abs(d) - jitter) / 16.0;
        }
    }

    /**
     * The frame to play at media time {@code now} (the start of this tick, in samples).
     *
     * @return false when there is nothing to play (never started, or silence after concealment)
     */
    boolean get(short[] frame, long now) {
        if (!started) {
            return false;
        }
        if (now == lastGet) {
            // asked twice in one tick (a test, a tap): the same frame, and no second step of the state
            System.arraycopy(out, 0, frame, 0, FRAME);
            return lastResult;
        }
        lastGet = now;
        lastResult = produce(frame, now);
        System.arraycopy(frame, 0, out, 0, FRAME);
        return lastResult;
    }

    private boolean produce(short[] frame, long now) {
        adaptTarget();
        int play = playTs(now);
        int valid = 0;
        for (int i = 0; i < FRAME; i++) {
            int t = play + i;
            int idx = t & MASK;
            if (stamp[idx] == t) {
                frame[i] = ring[idx];
                valid++;
            } else {
                frame[i] = 0;
            }
        }
        followDrift(play);
        if (valid == FRAME) {
            System.arraycopy(frame, 0, last, 0, FRAME);
            concealRun = 0;
            return true;
        }
        if (valid > 0) {
            return true;
        }
        if (concealRun < CONCEAL_FRAMES) {
            concealRun++;
            concealed++;
            int gain = CONCEAL_FRAMES - concealRun + 1;
            for (int i = 0; i < FRAME; i++) {
                frame[i] = (short) (last[i] * gain / (CONCEAL_FRAMES + 1));
            }
            return true;
        }
        return false;
    }

    /** The target follows twice the jitter plus a frame, within the configured bounds. */
    private void adaptTarget() {
        int wanted = (int) Math.round(2 * jitter) + FRAME;
        target = Math.max(minDelay, Math.min(maxDelay, wanted));
    }

    /**
     * Within a talkspurt the depth should stay near the target; a frame too much for long (fast
     * peer clock) drops one, a frame too little (slow clock, or a higher target) inserts one.
     */
    private void followDrift(int play) {
        int depth = highestEnd - play;
        // just after a packet the depth is target + one frame; a frame more or less, for long, is drift
        if (depth > target + 2 * FRAME) {
            driftTicks = driftTicks > 0 ? driftTicks + 1 : 1;
        } else if (depth < target && depth > -FRAME) {
            driftTicks = driftTicks < 0 ? driftTicks - 1 : -1;
        } else {
            driftTicks = 0;
        }
        if (driftTicks >= DRIFT_PATIENCE) {
            offset -= FRAME;
            skipped++;
            driftTicks = 0;
        } else if (driftTicks <= -DRIFT_PATIENCE) {
            offset += FRAME;
            stretched++;
            driftTicks = 0;
        }
    }

    /** Depth now, in samples: how far the newest audio is ahead of playout. */
    int depth(long now) {
        return started ? Math.max(0, highestEnd - playTs(now)) : 0;
    }

    int target() {
        return target;
    }

    double jitterSamples() {
        return jitter;
    }

    /** Forget timing (a new source): the next packet starts afresh. */
    void restart() {
        started = false;
        jitter = 0;
        concealRun = CONCEAL_FRAMES;
    }
}
