package org.switchboard.media.internal;

/**
 * RFC 4733 telephone-events for the DTMF keys (events 0-15), both ways. Confined to the media clock
 * thread.
 * <p>
 * Receiving: one key press is one event timestamp; the start (marker), the continuations and the
 * end (E bit, usually sent three times) all carry it. The key is reported once, at its end, with
 * its duration; redundant end packets and late continuations of a reported event are ignored; an
 * event whose end packets are all lost is reported when a new event starts or after 200 ms
 * without news.
 * <p>
 * Sending: a key is a start packet (marker) and continuations every 20 ms, all with the event's
 * timestamp and a growing duration, for 100 ms; then three end packets; then 60 ms of audio before
 * the next key.
 */
final class TelephoneEvents {

    static final String KEYS = "0123456789*#ABCD";
    static final int KEY_SAMPLES = 800;
    static final int END_PACKETS = 3;
    static final int GAP_TICKS = 3;
    private static final int LOST_END_SAMPLES = 1600;

    /** Where received keys go. */
    interface Sink {
        void key(char digit, int durationMs);
    }

    // receiving
    private boolean active;
    private boolean reported;
    private int eventTs;
    private int event;
    private int duration;
    private long lastPacketAt;
    long keysReceived;
    long malformed;

    /** A received telephone-event packet's payload. */
    void receive(byte[] p, int off, int end, int ts, long arrival, Sink sink) {
        if (end - off < 4) {
            malformed++;
            return;
        }
        int ev = p[off] & 0xFF;
        boolean endBit = (p[off + 1] & 0x80) != 0;
        int dur = ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
        if (ev > 15) {
            return; // flash and other events: not keys
        }
        if (!active || ts != eventTs) {
            if (active && ts - eventTs < 0) {
                return; // a straggler of an earlier event
            }
            flush(sink);
            active = true;
            reported = false;
            eventTs = ts;
            event = ev;
            duration = dur;
        } else if (dur > duration) {
            duration = dur;
        }
        lastPacketAt = arrival;
        if (endBit && !reported) {
            report(sink);
        }
    }

    /** Each tick: an event that went quiet without an end packet is over. */
    void tick(long now, Sink sink) {
        if (active && !reported && now - lastPacketAt > LOST_END_SAMPLES) {
            report(sink);
        }
    }

    private void flush(Sink sink) {
        if (active && !reported) {
            report(sink);
        }
    }

    private void report(Sink sink) {
        reported = true;
        keysReceived++;
        if (sink != null) {
            sink.key(KEYS.charAt(event), duration / 8);
        }
    }

    // sending
    private final char[] queue = new char[64];
    private int queueHead;
    private int queueSize;
    private int sendingKey = -1;
    private int sendTs;
    private int sent;
    private int endsLeft;
    private int gapLeft;
    private boolean first;

    /** Queues keys (call-control thread hands them over through the stream's own queue). */
    boolean enqueue(char key) {
        int k = KEYS.indexOf(key);
        if (k < 0 || queueSize == queue.length) {
            return false;
        }
        queue[(queueHead + queueSize++) % queue.length] = key;
        return true;
    }

    /**
     * For this tick: whether an event packet goes out instead of audio; if so it is written into
     * {@code p} at {@code off} (4 bytes) and {@link #sendTs()} / {@link #marker()} tell its header.
     *
     * @param audioTs the audio timestamp of this tick (a new key starts there)
     */
    boolean nextPacket(byte[] p, int off, int audioTs) {
        if (sendingKey < 0) {
            if (gapLeft > 0) {
                gapLeft--;
                return false;
            }
            if (queueSize == 0) {
                return false;
            }
            sendingKey = KEYS.indexOf(queue[queueHead]);
            queueHead = (queueHead + 1) % queue.length;
            queueSize--;
            sendTs = audioTs;
            sent = 0;
            endsLeft = END_PACKETS;
            first = true;
        } else {
            first = false;
        }
        boolean ending = sent >= KEY_SAMPLES;
        if (!ending) {
            sent += JitterBuffer.FRAME;
        }
        p[off] = (byte) sendingKey;
        // E bit on the end packets; volume 10 (-10 dBm0)
        p[off + 1] = (byte) ((ending ? 0x80 : 0) | 10);
        if (ending && --endsLeft == 0) {
            sendingKey = -1;
            gapLeft = GAP_TICKS;
        }
        p[off + 2] = (byte) (sent >> 8);
        p[off + 3] = (byte) sent;
        return true;
    }

    int sendTs() {
        return sendTs;
    }

    boolean marker() {
        return first;
    }

    boolean sending() {
        return sendingKey >= 0 || queueSize > 0 || gapLeft > 0;
    }
}
