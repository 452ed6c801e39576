package org.switchboard.span.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.LineUnavailableException;

/**
 * The box's side of a span as a {@link Line}: calls from the carrier become ringing legs in the core
 * with their called and calling numbers; calls out take a free B-channel (from the top, as a CPE
 * does, so they rarely meet the carrier's calls, which hunt from the bottom).
 */
final class SpanLine implements Line, PriSpan.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SpanLine.class);
    // libpri.h: type of number in bits 4-6 of the plan, presentation restriction in bits 5-6
    private static final int TON_INTERNATIONAL = 0x10;
    private static final int PLAN_INTERNATIONAL_ISDN = 0x11;
    private static final int PLAN_UNKNOWN = 0x00;
    private static final int PRES_RESTRICTION = 0x60;
    private static final int PRES_RESTRICTED = 0x20;
    private static final int PRES_UNAVAILABLE = 0x40;

    final SpanConfig config;
    final String cardId;
    final PriSpan span;
    private final ChannelPublisher publisher;
    private final AtomicReferenceArray<SpanCall> calls = new AtomicReferenceArray<>(SpanLib.MAXCH);
    private volatile Runnable onIdle = () -> { };

    SpanLine(SpanConfig config, String cardId, ChannelPublisher publisher, PriSpanFactory factory) {
        this.config = config;
        this.cardId = cardId;
        this.publisher = publisher;
        this.span = factory.create(config, this);
    }

    /** How a line gets its span: the driver wires simulated spans to their carrier. */
    @FunctionalInterface
    interface PriSpanFactory {
        PriSpan create(SpanConfig config, PriSpan.Listener listener);
    }

    void whenIdle(Runnable r) {
        onIdle = r;
    }

    // ------------------------------------------------------------------ Line

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public String cardId() {
        return cardId;
    }

    @Override
    public LineKind kind() {
        return LineKind.SPAN;
    }

    @Override
    public String number() {
        return config.number();
    }

    @Override
    public LineStatus status() {
        String err = span.openError();
        int a = span.alarms();
        if (err != null) {
            return new LineStatus(LineHealth.OFFLINE, err, OptionalInt.empty(), err, span.since());
        }
        if ((a & (PriSpan.ALARM_RED | PriSpan.ALARM_BLUE)) != 0) {
            String why = "alarm " + PriSpan.alarmText(a);
            return new LineStatus(LineHealth.OFFLINE, why, OptionalInt.empty(), why, span.since());
        }
        if (!span.dchanUp()) {
            return new LineStatus(LineHealth.OFFLINE, "D-channel down (no layer 2 link to the far end)", OptionalInt.empty(),
                    "D-channel down", span.since());
        }
        if ((a & PriSpan.ALARM_YELLOW) != 0) {
            String why = "alarm " + PriSpan.alarmText(a);
            return new LineStatus(LineHealth.DEGRADED, why, OptionalInt.empty(), why, span.since());
        }
        return LineStatus.online(span.since());
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("span", config.describe() + (config.simulated() ? ", simulated carrier" : ", DAHDI span " + config.dahdiSpan()));
        d.put("channels", busy() + " busy, " + (config.channels().size() - busy()) + " free");
        d.put("D-channel", span.dchanUp() ? "up" : "down");
        d.put("alarms", PriSpan.alarmText(span.alarms()));
        long[] s = span.stats();
        d.put("audio", s[5] + " frames in, " + s[6] + " out, " + s[7] + " short, " + s[4] + " late ticks of " + s[3]);
        d.put("protocol", s[8] + " D-channel frames in, " + s[9] + " out, " + span.protocolErrors() + " complaints");
        return d;
    }

    int busy() {
        int n = 0;
        for (int ts = 1; ts < SpanLib.MAXCH; ts++) {
            if (calls.get(ts) != null) {
                n++;
            }
        }
        return n;
    }

    SpanCall call(int ts) {
        return ts > 0 && ts < SpanLib.MAXCH ? calls.get(ts) : null;
    }

    @Override
    public DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        LineStatus st = status();
        if (st.health() == LineHealth.OFFLINE) {
            throw new LineUnavailableException("span " + id() + " cannot call out: " + st.reason());
        }
        if (number == null || !number.matches("\\+?[0-9*#]{1,32}")) {
            throw new LineUnavailableException("span " + id() + ": '" + number + "' is not a number to dial; allowed: "
                    + "up to 32 digits, * and #, optionally after +");
        }
        // no caller ID given: the span's own number; a withheld one stays withheld
        CallerId from = callerId == null || callerId.number().isEmpty() && callerId.presentation() != CallerId.Presentation.RESTRICTED
                ? CallerId.of(config.number()) : callerId;
        Integer[] order = config.channels().toArray(new Integer[0]);
        for (int i = order.length - 1; i >= 0; i--) {
            int ts = order[i];
            SpanCall c = new SpanCall(this, ts, false, from, number);
            if (calls.compareAndSet(ts, null, c)) {
                c.signals = signals;
                dialOut(c, number, from);
                return c;
            }
        }
        throw new LineUnavailableException("span " + id() + ": all " + config.channels().size() + " channels busy");
    }

    private void dialOut(SpanCall c, String number, CallerId from) {
        boolean intl = number.startsWith("+");
        String called = intl ? number.substring(1) : number;
        String calling = from.number().startsWith("+") ? from.number().substring(1) : from.number();
        int callingPlan = from.number().startsWith("+") ? PLAN_INTERNATIONAL_ISDN : PLAN_UNKNOWN;
        int pres = from.presentation() == CallerId.Presentation.ALLOWED ? 0 : PRES_RESTRICTED;
        span.submit(h -> {
            if (c.ended) {
                release(c);
                return;
            }
            span.attach(c.timeslot, c);
            int rc = SpanLib.dial(h, c.timeslot, called, intl ? PLAN_INTERNATIONAL_ISDN : PLAN_UNKNOWN, calling, callingPlan,
                    pres, from.name().length() > 30 ? from.name().substring(0, 30) : from.name());
            if (rc != 0) {
                LOG.info("Span {}: call out to {} on channel {} refused by the bridge ({})", id(), number, c.timeslot, rc);
                release(c);
                c.signals.hungUp(rc == -3 ? HangupCause.NETWORK_OUT_OF_ORDER : HangupCause.NORMAL_CIRCUIT_CONGESTION);
            }
        });
    }

    private void release(SpanCall c) {
        span.detach(c.timeslot, c);
        if (calls.compareAndSet(c.timeslot, c, null) && busy() == 0) {
            onIdle.run();
        }
    }

    void answer(SpanCall c) {
        span.submit(h -> {
            if (c.ended || calls.get(c.timeslot) != c) {
                return;
            }
            if (SpanLib.answer(h, c.timeslot, 0) == 0) {
                c.up = true;
                c.signals.answered();
            } else {
                c.ended = true;
                c.signals.hungUp(HangupCause.NORMAL_TEMPORARY_FAILURE);
            }
        });
    }

    void hangup(SpanCall c, HangupCause cause) {
        span.submit(h -> {
            if (calls.get(c.timeslot) == c) {
                SpanLib.hangup(h, c.timeslot, cause.code());
            }
        });
    }

    // ------------------------------------------------------------------ span events (poll thread)

    @Override
    public void ring(int ts, int callingPlan, int callingPres, String calling, String called, String name) {
        CallerId caller;
        int restriction = callingPres & PRES_RESTRICTION;
        if (restriction == PRES_RESTRICTED) {
            caller = CallerId.withheld();
        } else if (restriction == PRES_UNAVAILABLE || calling.isEmpty()) {
            caller = CallerId.UNKNOWN;
        } else {
            String number = (callingPlan & 0x70) == TON_INTERNATIONAL ? "+" + calling : calling;
            caller = CallerId.of(number, name);
        }
        String did = called.isEmpty() ? config.number() : called;
        SpanCall c = new SpanCall(this, ts, true, caller, did);
        SpanCall before = calls.getAndSet(ts, c);
        if (before != null && !before.ended) {     // the bridge freed the channel; our old leg is stale
            before.ended = true;
            before.signals.hungUp(HangupCause.NORMAL_TEMPORARY_FAILURE);
        }
        span.attach(ts, c);
        c.signals = publisher.inbound(id(), caller, did, c);
    }

    @Override
    public void proceeding(int ts) {
    }

    @Override
    public void alerting(int ts) {
        SpanCall c = calls.get(ts);
        if (c != null && !c.ended) {
            c.signals.alerting();
        }
    }

    @Override
    public void answered(int ts) {
        SpanCall c = calls.get(ts);
        if (c != null && !c.ended && !c.inbound) {
            c.up = true;
            c.signals.answered();
        }
    }

    @Override
    public void hungUp(int ts, int cause) {
        SpanCall c = calls.get(ts);
        if (c != null && !c.ended) {
            c.ended = true;
            c.up = false;
            c.signals.hungUp(new HangupCause(cause));
        }
    }

    @Override
    public void freed(int ts) {
        SpanCall c = calls.get(ts);
        if (c != null) {
            if (!c.ended) {
                c.ended = true;
                c.signals.hungUp(HangupCause.NORMAL_CLEARING);
            }
            release(c);
        }
    }

    @Override
    public void statusChanged() {
        if (span.openError() != null || (span.alarms() & (PriSpan.ALARM_RED | PriSpan.ALARM_BLUE)) != 0) {
            // calls the bridge could not end itself (span closed or failed): end them here
            for (int ts = 1; ts < SpanLib.MAXCH; ts++) {
                SpanCall c = calls.get(ts);
                if (c != null && !c.ended) {
                    hungUp(ts, HangupCause.NETWORK_OUT_OF_ORDER.code());
                }
            }
        }
    }

    /** The line goes: calls on it end now (the span is closing under them). */
    void close() {
        span.close();
        for (int ts = 1; ts < SpanLib.MAXCH; ts++) {
            SpanCall c = calls.getAndSet(ts, null);
            if (c != null && !c.ended) {
                c.ended = true;
                c.signals.hungUp(HangupCause.NETWORK_OUT_OF_ORDER);
            }
        }
    }
}
