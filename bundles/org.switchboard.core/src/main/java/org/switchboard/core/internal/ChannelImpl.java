package org.switchboard.core.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.Direction;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;

/**
 * A leg. Mutable state is written only on its call's executor; the volatile fields let the shell
 * and other threads read a recent view.
 */
final class ChannelImpl implements Channel {

    /** Keys pressed but not collected yet; a caller typing ahead of a long prompt is normal. */
    static final int DIGIT_BUFFER = 32;

    private final String id;
    private final String lineId;
    private final CallImpl call;
    private final Direction direction;
    private final String calledNumber;
    private final Instant createdAt = Instant.now();
    private final Signals signals = new Signals();

    private volatile ChannelState state;
    private volatile CallerId callerId;
    private volatile Instant answeredAt;
    private volatile Instant endedAt;
    private volatile HangupCause cause;
    private volatile ChannelImpl bridgedTo;
    private volatile DriverChannel driver;
    private volatile MediaLeg media;

    // executor-confined
    /** whether this leg hanging up ends its bridged peer too */
    boolean endTogether;
    final ArrayDeque<Character> digits = new ArrayDeque<>();
    DigitCollection collection;
    final List<CompletableFuture<Void>> pendingAnswers = new ArrayList<>(1);
    private ScheduledFuture<?> ringTimer;

    ChannelImpl(String id, String lineId, CallImpl call, Direction direction, ChannelState state,
                CallerId callerId, String calledNumber) {
        this.id = id;
        this.lineId = lineId;
        this.call = call;
        this.direction = direction;
        this.state = state;
        this.callerId = callerId;
        this.calledNumber = calledNumber;
    }

    void pendingRingTimer(ScheduledFuture<?> timer) {
        this.ringTimer = timer;
    }

    void cancelRingTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
            ringTimer = null;
        }
    }

    CallEngine engine() {
        return call.engine();
    }

    CallImpl call() {
        return call;
    }

    ChannelSignals signals() {
        return signals;
    }

    DriverChannel driver() {
        return driver;
    }

    void driver(DriverChannel d) {
        this.driver = d;
    }

    MediaLeg media() {
        return media;
    }

    void media(MediaLeg m) {
        this.media = m;
    }

    void state(ChannelState s) {
        this.state = s;
        if (s.isUp() && answeredAt == null) {
            answeredAt = Instant.now();
        }
        if (s == ChannelState.HUNG_UP) {
            endedAt = Instant.now();
        }
    }

    void callerId(CallerId c) {
        this.callerId = c;
    }

    void cause(HangupCause c) {
        this.cause = c;
    }

    ChannelImpl peer() {
        return bridgedTo;
    }

    void peer(ChannelImpl p) {
        this.bridgedTo = p;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String lineId() {
        return lineId;
    }

    @Override
    public String callId() {
        return call.id();
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public ChannelState state() {
        return state;
    }

    @Override
    public CallerId callerId() {
        return callerId;
    }

    @Override
    public String calledNumber() {
        return calledNumber;
    }

    @Override
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public Optional<Instant> answeredAt() {
        return Optional.ofNullable(answeredAt);
    }

    @Override
    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    @Override
    public Optional<HangupCause> hangupCause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public Optional<String> bridgedTo() {
        ChannelImpl p = bridgedTo;
        return p == null ? Optional.empty() : Optional.of(p.id());
    }

    @Override
    public long framesIn() {
        MediaLeg m = media;
        return m == null ? 0 : m.framesIn;
    }

    private volatile String keys = "";

    /** Executor: remembers a key for {@link #keysReceived()}. */
    void keyReceived(char digit) {
        String k = keys + digit;
        keys = k.length() > 32 ? k.substring(k.length() - 32) : k;
    }

    @Override
    public String keysReceived() {
        return keys;
    }

    @Override
    public boolean mediaRelayed() {
        MediaLeg m = media;
        return m != null && m.relayed;
    }

    @Override
    public long framesOut() {
        MediaLeg m = media;
        return m == null ? 0 : m.framesOut;
    }

    @Override
    public String toString() {
        return id + "[" + state + "]";
    }

    /** The driver's handle: every signal becomes a task on the call's executor. */
    private final class Signals implements ChannelSignals {

        @Override
        public String channelId() {
            return id;
        }

        @Override
        public void alerting() {
            call.executor().execute(() -> engine().onAlerting(ChannelImpl.this));
        }

        @Override
        public void answered() {
            call.executor().execute(() -> engine().onAnswered(ChannelImpl.this));
        }

        @Override
        public void callerId(CallerId callerId) {
            call.executor().execute(() -> engine().onCallerId(ChannelImpl.this, callerId));
        }

        @Override
        public void dtmf(char digit, int durationMs) {
            call.executor().execute(() -> engine().onDtmf(ChannelImpl.this, digit, durationMs));
        }

        @Override
        public void hungUp(HangupCause cause) {
            call.executor().execute(() -> engine().onFarEndHangup(ChannelImpl.this, cause));
        }
    }
}
