package org.switchboard.line.sim.internal;

import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.MediaFormat;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.MediaPort;

/**
 * The far end of a simulated line during one call: a caller who speaks a steady 400 Hz tone at
 * about -20 dBFS and listens to what the box sends (frames and level are counted for line:info).
 */
final class SimulatedCall implements DriverChannel, MediaPort {

    /** 400 Hz at 8 kHz is exactly 20 samples a period, so one frame holds 8 whole periods. */
    private static final short[] VOICE = new short[MediaFormat.SAMPLES_PER_FRAME];

    static {
        for (int i = 0; i < VOICE.length; i++) {
            VOICE[i] = (short) Math.round(3277 * Math.sin(2 * Math.PI * 400 * i / MediaFormat.SAMPLE_RATE));
        }
    }

    private final SimulatedLine line;
    final boolean inbound;
    volatile ChannelSignals signals;
    volatile boolean up;
    volatile boolean ended;
    volatile long framesHeard;
    volatile long framesSpoken;
    volatile int lastPeak;

    SimulatedCall(SimulatedLine line, boolean inbound) {
        this.line = line;
        this.inbound = inbound;
    }

    @Override
    public void answer() {
        line.boxAnswered(this);
    }

    @Override
    public void hangup(HangupCause cause) {
        line.boxHungUp(this, cause);
    }

    @Override
    public void sendDtmf(String keys) {
        line.boxSentDtmf(keys);
    }

    @Override
    public MediaPort media() {
        return this;
    }

    @Override
    public boolean read(short[] frame) {
        if (!up) {
            return false;
        }
        System.arraycopy(VOICE, 0, frame, 0, frame.length);
        framesSpoken++;
        return true;
    }

    @Override
    public void write(short[] frame) {
        int peak = 0;
        for (short s : frame) {
            int a = s < 0 ? -s : s;
            if (a > peak) {
                peak = a;
            }
        }
        lastPeak = peak;
        framesHeard++;
    }
}
