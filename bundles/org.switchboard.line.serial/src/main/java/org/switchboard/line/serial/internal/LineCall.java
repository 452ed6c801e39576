package org.switchboard.line.serial.internal;

import java.util.function.Function;

import org.switchboard.core.api.Dtmf;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.line.serial.internal.audio.VoicePath;

/**
 * One call on a serial line. What the core asks of it runs on the line's control thread; what the
 * line hears goes to {@link #signals}.
 */
class LineCall implements DriverChannel {

    enum State { RINGING, ANSWERING, DIALING, TALKING }

    private final SerialLine line;
    final boolean inbound;
    volatile ChannelSignals signals;
    volatile State state;
    final VoicePath voice;

    /** @param voice the call's audio path, made for the call (it may detect keys in-band: {@link #key}) */
    LineCall(SerialLine line, boolean inbound, State state, Function<LineCall, VoicePath> voice) {
        this.line = line;
        this.inbound = inbound;
        this.state = state;
        this.voice = voice.apply(this);
    }

    /** A key heard in the call's audio (in-band detection). */
    void key(char digit, int ms) {
        if (state == State.TALKING) {
            signals.dtmf(digit, ms);
        }
    }

    @Override
    public void answer() {
        line.onControl(() -> line.answerCall(this));
    }

    @Override
    public void hangup(HangupCause cause) {
        line.onControl(() -> line.boxHangup(this, cause));
    }

    @Override
    public void sendDtmf(String keys) {
        Dtmf.requireDigits(keys);
        line.onControl(() -> line.sendKeys(this, keys));
    }

    @Override
    public MediaPort media() {
        return voice;
    }
}
