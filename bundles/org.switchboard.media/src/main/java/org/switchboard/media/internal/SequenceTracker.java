package org.switchboard.media.internal;

/**
 * Sequence numbers of the accepted source (RFC 3550 appendix A.1): wrap-around into an extended
 * highest sequence, cumulative loss, and the interval figures an RTCP report block carries.
 */
final class SequenceTracker {

    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq = -1;
    long received;
    long reordered;
    private long expectedPrior;
    private long receivedPrior;

    void reset() {
        started = false;
        cycles = 0;
        received = 0;
        badSeq = -1;
        expectedPrior = 0;
        receivedPrior = 0;
    }

    /** Records a sequence number; false when it is so far off that it is treated as a stray packet. */
    boolean update(int seq) {
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
            received = 1;
            return true;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta == 0) {
            received++;
            return true;
        }
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq;
        } else if (delta <= 0x10000 - MAX_MISORDER) {
            // a huge jump: accept it only if the next packet confirms it (the source restarted)
            if (seq == badSeq) {
                baseSeq = seq;
                maxSeq = seq;
                cycles = 0;
                received = 0;
                expectedPrior = 0;
                receivedPrior = 0;
                badSeq = -1;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        } else {
            reordered++;
        }
        received++;
        return true;
    }

    long extendedMax() {
        return cycles + maxSeq;
    }

    long expected() {
        return started ? extendedMax() - baseSeq + 1 : 0;
    }

    long lost() {
        return Math.max(0, expected() - received);
    }

    /** Loss since the last call, as RTCP's 8-bit fraction (0..255); moves the interval on. */
    int fractionLostSinceLast() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        return expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}
