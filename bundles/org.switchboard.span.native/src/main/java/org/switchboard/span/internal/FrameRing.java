package org.switchboard.span.internal;

/**
 * Frames of 160 samples between one producer thread and one consumer thread (the span's poll
 * thread and the media clock), without locks or allocation. When full, the newest frame is
 * dropped and counted (the consumer is behind; what it has is older audio it will play first).
 */
final class FrameRing {

    private final short[][] slots;
    private volatile long head;   // next to read, written by the consumer
    private volatile long tail;   // next to write, written by the producer
    private volatile long dropped;

    FrameRing(int frames) {
        slots = new short[frames][SpanLib.FRAME];
    }

    /** Producer: copies the frame in; false when full. */
    boolean put(short[] frame) {
        long t = tail;
        if (t - head >= slots.length) {
            dropped++;
            return false;
        }
        System.arraycopy(frame, 0, slots[(int) (t % slots.length)], 0, SpanLib.FRAME);
        tail = t + 1;
        return true;
    }

    /** Consumer: copies the oldest frame out; false when empty. */
    boolean take(short[] frame) {
        long h = head;
        if (h == tail) {
            return false;
        }
        System.arraycopy(slots[(int) (h % slots.length)], 0, frame, 0, SpanLib.FRAME);
        head = h + 1;
        return true;
    }

    /** Consumer side: forget what is queued. */
    void clear() {
        head = tail;
    }

    long dropped() {
        return dropped;
    }
}
