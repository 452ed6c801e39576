package org.switchboard.span.internal;

import java.time.Instant;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.media.dsp.DtmfDetector;

/**
 * A call on one B-channel of the box's span: the core's leg. Audio: the poll thread fills the
 * receive ring and runs in-band DTMF detection on it (ISDN carries keys as tones), the media clock
 * reads that ring and writes the send ring. Commands go to the span's poll thread.
 */
final class SpanCall extends Leg implements DriverChannel, MediaPort {

    final SpanLine line;
    final boolean inbound;
    final CallerId caller;
    final String called;
    final Instant started = Instant.now();
    volatile ChannelSignals signals;
    volatile boolean up;
    volatile boolean ended;
    volatile String keysHeard = "";
    private final DtmfDetector detector;

    SpanCall(SpanLine line, int ts, boolean inbound, CallerId caller, String called) {
        super(ts);
        this.line = line;
        this.inbound = inbound;
        this.caller = caller;
        this.called = called;
        this.detector = new DtmfDetector(this::key);
    }

    private void key(char digit, int durationMs) {
        String k = keysHeard;
        keysHeard = k.length() >= 32 ? k.substring(1) + digit : k + digit;
        ChannelSignals s = signals;
        if (s != null) {
            s.dtmf(digit, durationMs);
        }
    }

    @Override
    void heard(short[] frame) {
        super.heard(frame);
        detector.process(frame);
    }

    @Override
    public void answer() {
        line.answer(this);
    }

    @Override
    public void hangup(HangupCause cause) {
        ended = true;
        line.hangup(this, cause);
    }

    @Override
    public MediaPort media() {
        return this;
    }

    /** Media clock: what the far end said. */
    @Override
    public boolean read(short[] frame) {
        return rx.take(frame);
    }

    /** Media clock: what to send. */
    @Override
    public void write(short[] frame) {
        if (up) {
            tx.put(frame);
        }
    }

    /** For span:channels: "in 13800138000 -> 01066668000, up 00:01:05, keys 5". */
    String describe() {
        long secs = java.time.Duration.between(started, Instant.now()).getSeconds();
        String state = ended ? "clearing" : up ? "up" : inbound ? "ringing" : "dialling";
        return (inbound ? "in " + caller.display() + " -> " + called : "out " + caller.display() + " -> " + called)
                + ", " + state + " " + String.format("%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
                + ", frames " + framesHeard + " heard / " + framesSent + " sent"
                + (keysHeard.isEmpty() ? "" : ", keys " + keysHeard);
    }
}
