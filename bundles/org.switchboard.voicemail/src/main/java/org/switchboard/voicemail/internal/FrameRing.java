package org.switchboard.voicemail.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames copied on the media clock (the one producer) for a writer thread (the one consumer).
 * Preallocated, lock-free; a frame that finds the ring full is dropped and counted.
 */
final class FrameRing {

    private final short[][] frames;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private volatile long dropped;

    FrameRing(int capacity, int samples) {
        frames = new short[capacity][samples];
    }

    /** Producer. */
    void put(short[] frame) {
        long t = tail.get();
        if (t - head.get() >= frames.length) {
            dropped++;
            return;
        }
        System.arraycopy(frame, 0, frames[(int) (t % frames.length)], 0, frame.length);
        tail.lazySet(t + 1);
    }

    /** Consumer: the next frame, or null; valid until the next call to {@link #release()}. */
    short[] peek() {
        long h = head.get();
        return h == tail.get() ? null : frames[(int) (h % frames.length)];
    }

    void release() {
        head.lazySet(head.get() + 1);
    }

    long dropped() {
        return dropped;
    }
}
