package org.switchboard.line.serial.internal.audio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Audio on its way to the port: the media clock (the one producer) puts shielded bytes, the
 * port's writer thread (the one consumer) takes them. Lock-free and allocation-free; a put that
 * does not fit is dropped whole and counted, so the clock never waits for a slow port.
 */
public final class ByteRing {

    private final byte[] buf;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private long overflows;

    public ByteRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.buf = new byte[capacity];
        this.mask = capacity - 1;
    }

    /** Producer. Returns false (and counts) when there is no room for all {@code n} bytes. */
    public boolean put(byte[] src, int n) {
        long t = tail.get();
        if (buf.length - (t - head.get()) < n) {
            overflows++;
            return false;
        }
        for (int i = 0; i < n; i++) {
            buf[(int) ((t + i) & mask)] = src[i];
        }
        tail.lazySet(t + n);
        return true;
    }

    /** Consumer: moves up to {@code dst.length} bytes into {@code dst}; returns how many. */
    public int take(byte[] dst) {
        long h = head.get();
        int n = (int) Math.min(dst.length, tail.get() - h);
        for (int i = 0; i < n; i++) {
            dst[i] = buf[(int) ((h + i) & mask)];
        }
        head.lazySet(h + n);
        return n;
    }

    public int size() {
        return (int) (tail.get() - head.get());
    }

    public long overflows() {
        return overflows;
    }

    public void clear() {
        head.set(tail.get());
    }
}
