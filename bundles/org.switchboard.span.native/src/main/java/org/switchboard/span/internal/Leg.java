package org.switchboard.span.internal;

/**
 * The audio of one B-channel while it carries a call, as the span's poll thread sees it: every 20 ms
 * it hands what the far end sent to {@link #heard} and asks {@link #toSend} for what to send. The
 * default keeps both in rings for another thread (the media clock); subclasses analyse or generate.
 */
class Leg {

    final int timeslot;
    final FrameRing rx = new FrameRing(4);
    final FrameRing tx = new FrameRing(4);
    volatile long framesHeard;
    volatile long framesSent;

    Leg(int timeslot) {
        this.timeslot = timeslot;
    }

    /** Poll thread: 20 ms from the far end, decoded. */
    void heard(short[] frame) {
        rx.put(frame);
        framesHeard++;
    }

    /** Poll thread: fills 20 ms to send; false sends nothing (the line idles). */
    boolean toSend(short[] frame) {
        if (tx.take(frame)) {
            framesSent++;
            return true;
        }
        return false;
    }
}
