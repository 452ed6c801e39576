package org.switchboard.line.sim.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Dtmf;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.LineUnavailableException;

/**
 * One simulated analog line: a technician (or a test) plays the far end from the shell. Like a
 * real line it carries one call at a time.
 */
public final class SimulatedLine implements Line {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedLine.class);
    /** The gap between simulated key presses, and how long each is held. */
    static final int DIGIT_GAP_MS = 250;
    static final int DIGIT_MS = 100;
    /** How long the simulated far end lets an outbound call ring before it picks up. */
    static final int FAR_END_ANSWER_MS = 1000;

    private final String id;
    private volatile String cardId;
    private volatile String number;
    private final ChannelPublisher publisher;
    private final ScheduledExecutorService timer;
    private final Instant since = Instant.now();
    private volatile SimulatedCall call;
    private volatile String pendingDigits = "";
    private volatile String lastDtmfFromBox = "";
    private volatile long calls;
    volatile boolean removed;
    private final Runnable onIdle;

    SimulatedLine(String id, String cardId, String number, ChannelPublisher publisher, ScheduledExecutorService timer,
                  Runnable onIdle) {
        this.id = id;
        this.cardId = cardId;
        this.number = number;
        this.publisher = publisher;
        this.timer = timer;
        this.onIdle = onIdle;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String cardId() {
        return cardId;
    }

    @Override
    public LineKind kind() {
        return LineKind.SIMULATED;
    }

    @Override
    public String number() {
        return number;
    }

    @Override
    public LineStatus status() {
        return removed ? LineStatus.offline("removed from the hardware profile; goes away when its call ends", since)
                : LineStatus.online(since);
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        SimulatedCall c = call;
        d.put("Simulated", "far end " + (c == null ? "on hook" : c.up ? "talking" : c.inbound ? "calling in" : "being called"));
        d.put("Calls", Long.toString(calls));
        if (c != null) {
            d.put("Heard", c.framesHeard + " frames from the box, last peak " + c.lastPeak);
            d.put("Spoken", c.framesSpoken + " frames of 400 Hz to the box");
        }
        if (!lastDtmfFromBox.isEmpty()) {
            d.put("DTMF rx", "'" + lastDtmfFromBox + "' (last keys the box sent)");
        }
        return d;
    }

    /** The profile changed this line's settings: they apply at once, a call in progress goes on. */
    void update(String newCardId, String newNumber) {
        this.cardId = newCardId;
        this.number = newNumber;
    }

    public boolean busy() {
        return call != null;
    }

    /**
     * The far end calls the box.
     *
     * @param digits keys the caller presses once the box answers (validated by the caller of this method)
     */
    public synchronized void ring(CallerId from, String calledNumber, String digits) throws LineUnavailableException {
        if (removed) {
            throw new LineUnavailableException("line " + id + " was removed from the hardware profile");
        }
        if (call != null) {
            throw new LineUnavailableException("line " + id + " is busy with a call; end it first (line:simulate-hangup " + id + ")");
        }
        SimulatedCall c = new SimulatedCall(this, true);
        call = c;
        calls++;
        pendingDigits = digits;
        c.signals = publisher.inbound(id, from, calledNumber.isEmpty() ? number : calledNumber, c);
        LOG.info("{}: simulated call from {} rings (channel {})", id, from.display(), c.signals.channelId());
    }

    /** The far end presses keys during the call. */
    public synchronized void press(String keys) throws LineUnavailableException {
        Dtmf.requireDigits(keys);
        SimulatedCall c = call;
        if (c == null || !c.up) {
            throw new LineUnavailableException("line " + id + " has no answered call to send keys on");
        }
        sendKeys(c, keys);
    }

    /** The far end hangs up. */
    public synchronized void farEndHangup(HangupCause cause) throws LineUnavailableException {
        SimulatedCall c = call;
        if (c == null) {
            throw new LineUnavailableException("line " + id + " has no call");
        }
        end(c);
        c.signals.hungUp(cause);
    }

    private void sendKeys(SimulatedCall c, String keys) {
        for (int i = 0; i < keys.length(); i++) {
            char k = keys.charAt(i);
            timer.schedule(() -> {
                if (call == c && c.up) {
                    c.signals.dtmf(k, DIGIT_MS);
                }
            }, (long) (i + 1) * DIGIT_GAP_MS, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void boxAnswered(SimulatedCall c) {
        if (call != c || c.ended) {
            return;
        }
        c.up = true;
        c.signals.answered();
        String digits = pendingDigits;
        pendingDigits = "";
        if (!digits.isEmpty()) {
            sendKeys(c, digits);
        }
    }

    synchronized void boxHungUp(SimulatedCall c, HangupCause cause) {
        if (call == c) {
            LOG.info("{}: the box hung up ({})", id, cause);
            end(c);
        }
    }

    void boxSentDtmf(String keys) {
        lastDtmfFromBox = keys;
    }

    private void end(SimulatedCall c) {
        c.ended = true;
        c.up = false;
        call = null;
        if (removed) {
            onIdle.run();
        }
    }

    @Override
    public synchronized DriverChannel dial(String dialled, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        if (removed) {
            throw new LineUnavailableException("line " + id + " was removed from the hardware profile");
        }
        if (call != null) {
            throw new LineUnavailableException("line " + id + " is busy");
        }
        SimulatedCall c = new SimulatedCall(this, false);
        c.signals = signals;
        call = c;
        calls++;
        timer.schedule(() -> {
            if (call == c && !c.ended) {
                signals.alerting();
            }
        }, 50, TimeUnit.MILLISECONDS);
        timer.schedule(() -> {
            synchronized (this) {
                if (call == c && !c.ended) {
                    c.up = true;
                    signals.answered();
                }
            }
        }, FAR_END_ANSWER_MS, TimeUnit.MILLISECONDS);
        return c;
    }
}
