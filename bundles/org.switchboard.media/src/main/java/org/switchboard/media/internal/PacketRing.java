package org.switchboard.media.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands received datagrams from the network thread to the media clock thread: a single-producer,
 * single-consumer ring of preallocated slots. Neither side ever waits or allocates; when the clock
 * falls behind, the newest datagram is dropped and counted.
 */
final class PacketRing {

    static final int SLOTS = 16;
    /** Largest datagram kept: 60 ms of G.711 plus header, with room for extensions. */
    static final int SLOT_BYTES = 600;

    private final byte[][] data = new byte[SLOTS][SLOT_BYTES];
    private final int[] length = new int[SLOTS];
    private final long[] arrivalNanos = new long[SLOTS];
    private final InetSocketAddress[] source = new InetSocketAddress[SLOTS];
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private long overflows;

    /** Network thread: copies the datagram in. False when the ring is full. */
    boolean offer(ByteBuffer datagram, InetSocketAddress from, long nanos) {
        long t = tail.get();
        if (t - head.get() >= SLOTS) {
            overflows++;
            return false;
        }
        int slot = (int) (t & (SLOTS - 1));
        int n = Math.min(datagram.remaining(), SLOT_BYTES);
        datagram.get(data[slot], 0, n);
        length[slot] = n;
        arrivalNanos[slot] = nanos;
        source[slot] = from;
        tail.lazySet(t + 1);
        return true;
    }

    /** Clock thread: the next datagram, or -1 when empty; read its bytes, then call {@link #release()}. */
    int peek() {
        long h = head.get();
        if (h == tail.get()) {
            return -1;
        }
        return (int) (h & (SLOTS - 1));
    }

    byte[] data(int slot) {
        return data[slot];
    }

    int length(int slot) {
        return length[slot];
    }

    long arrivalNanos(int slot) {
        return arrivalNanos[slot];
    }

    InetSocketAddress source(int slot) {
        return source[slot];
    }

    void release() {
        head.lazySet(head.get() + 1);
    }

    long overflows() {
        return overflows;
    }
}
