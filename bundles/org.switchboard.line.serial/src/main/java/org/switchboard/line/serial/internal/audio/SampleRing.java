package org.switchboard.line.serial.internal.audio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Received audio between a port's reader thread (the one producer) and the media clock (the one
 * consumer). Lock-free and allocation-free. When the producer runs ahead (the far end's clock is
 * faster, or the clock stalled), the oldest audio is dropped so the delay stays bounded.
 */
public final class SampleRing {

    private final short[] buf;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next to read
    private final AtomicLong tail = new AtomicLong(); // next to write
    private long dropped;
    private long underruns;
    private boolean primed;
    private final int prime;

    /**
     * @param capacity a power of two, in samples
     * @param prime    samples to collect before the first read delivers (absorbs the port's bursts)
     */
    public SampleRing(int capacity, int prime) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.buf = new short[capacity];
        this.mask = capacity - 1;
        this.prime = prime;
    }

    /** Producer: appends one sample, dropping it when the ring is full. */
    public void put(short s) {
        long t = tail.get();
        if (t - head.get() >= buf.length) {
            dropped++;
            return;
        }
        buf[(int) (t & mask)] = s;
        tail.lazySet(t + 1);
    }

    /**
     * Consumer: fills {@code frame} when a whole frame is there.
     *
     * @return false (frame untouched) when not enough audio has arrived
     */
    public boolean take(short[] frame) {
        long h = head.get();
        long avail = tail.get() - h;
        if (!primed) {
            if (avail < prime) {
                return false;
            }
            primed = true;
        }
        if (avail < frame.length) {
            underruns++;
            return false;
        }
        for (int i = 0; i < frame.length; i++) {
            frame[i] = buf[(int) ((h + i) & mask)];
        }
        // keep the delay bounded: more than four frames waiting means we fell behind the far end
        long keep = 4L * frame.length;
        long next = h + frame.length;
        if (avail - frame.length > keep) {
            next = tail.get() - keep;
        }
        head.lazySet(next);
        return true;
    }

    public int available() {
        return (int) (tail.get() - head.get());
    }

    /** Samples dropped because the ring was full (producer side). */
    public long dropped() {
        return dropped;
    }

    /** Reads that found less than a frame after audio had started (consumer side). */
    public long underruns() {
        return underruns;
    }

    /** Samples received in all. */
    public long received() {
        return tail.get();
    }
}
