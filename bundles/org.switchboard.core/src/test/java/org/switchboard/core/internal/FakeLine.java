package org.switchboard.core.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.core.spi.MediaPort;

/** A driver at the edge of the core: one line whose legs speak a constant "voice" value. */
final class FakeLine implements Line {

    final String id;
    final short voice;
    final List<Leg> legs = new CopyOnWriteArrayList<>();
    volatile boolean answerImmediately = true;

    FakeLine(String id, short voice) {
        this.id = id;
        this.voice = voice;
    }

    /** The far end calls in. */
    Leg ring(CallEngine engine, String from) {
        Leg leg = new Leg();
        leg.signals = engine.inbound(id, CallerId.of(from), "4000", leg);
        legs.add(leg);
        return leg;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String cardId() {
        return "fake";
    }

    @Override
    public LineKind kind() {
        return LineKind.SIMULATED;
    }

    @Override
    public String number() {
        return "";
    }

    @Override
    public LineStatus status() {
        return LineStatus.online(Instant.EPOCH);
    }

    @Override
    public DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        if (number.equals("busy")) {
            throw new LineUnavailableException("line " + id + " is busy");
        }
        Leg leg = new Leg();
        leg.signals = signals;
        leg.dialled = number;
        legs.add(leg);
        return leg;
    }

    /** One leg as the driver sees it. */
    final class Leg implements DriverChannel, MediaPort {
        volatile ChannelSignals signals;
        volatile String dialled;
        volatile boolean answerRequested;
        volatile HangupCause releasedWith;
        volatile String sentDtmf = "";
        volatile long written;
        volatile short lastHeardSample;
        volatile boolean failReads;

        @Override
        public void answer() {
            answerRequested = true;
            if (answerImmediately) {
                signals.answered();
            }
        }

        @Override
        public void hangup(HangupCause cause) {
            releasedWith = cause;
        }

        @Override
        public void sendDtmf(String keys) {
            sentDtmf += keys;
        }

        @Override
        public MediaPort media() {
            return this;
        }

        @Override
        public boolean read(short[] frame) {
            if (failReads) {
                throw new IllegalStateException("port unplugged");
            }
            java.util.Arrays.fill(frame, voice);
            return true;
        }

        @Override
        public void write(short[] frame) {
            lastHeardSample = frame[frame.length / 2];
            written++;
        }
    }
}
