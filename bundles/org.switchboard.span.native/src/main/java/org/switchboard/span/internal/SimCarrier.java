package org.switchboard.span.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The simulated carrier wired back to back with a {@code sim-span}: libpri on the other side of the
 * pair (the network side when the box is CPE). It answers the box's calls out at once (a called
 * party who picks up), places calls to the box on the technician's or the tests' command, speaks
 * tones or keys and measures what it hears (span:sim).
 */
final class SimCarrier implements PriSpan.Listener {

    final PriSpan span;
    private final AtomicReferenceArray<CarrierLeg> legs = new AtomicReferenceArray<>(SpanLib.MAXCH);
    private final int[] lastCause = new int[SpanLib.MAXCH];
    private final ArrayDeque<String> log = new ArrayDeque<>();
    volatile boolean autoAnswer = true;

    SimCarrier(SpanConfig box) {
        this.span = new PriSpan(box.carrier(), null, this);
    }

    /** Places a call to the box on the lowest free channel; returns the channel, or -1 when all are busy. */
    int call(String from, String to, boolean withheld) {
        for (int ts : span.config.channels()) {
            CarrierLeg leg = new CarrierLeg(ts, withheld ? "" : from, to);
            if (legs.compareAndSet(ts, null, leg)) {
                int plan = 0x21;   // national ISDN numbering
                span.submit(h -> {
                    span.attach(ts, leg);
                    int rc = SpanLib.dial(h, ts, to, plan, withheld ? "" : from, plan, withheld ? 0x20 : 0x00, "");
                    if (rc != 0) {
                        note("channel " + ts + ": the call to " + to + " could not start (" + rc + ")");
                        span.detach(ts, leg);
                        legs.compareAndSet(ts, leg, null);
                    }
                });
                return ts;
            }
        }
        return -1;
    }

    void answer(int ts) {
        span.submit(h -> {
            CarrierLeg l = legs.get(ts);
            if (l != null && SpanLib.answer(h, ts, 0) == 0) {
                l.up = true;
            }
        });
    }

    void hangup(int ts, int cause) {
        span.submit(h -> SpanLib.hangup(h, ts, cause));
    }

    CarrierLeg leg(int ts) {
        return ts > 0 && ts < SpanLib.MAXCH ? legs.get(ts) : null;
    }

    /** The cause of the last clearing the box sent on the channel, 0 if none yet. */
    int lastCause(int ts) {
        return lastCause[ts];
    }

    List<String> log() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    List<String> legs() {
        List<String> out = new ArrayList<>();
        for (int ts = 1; ts < SpanLib.MAXCH; ts++) {
            CarrierLeg l = legs.get(ts);
            if (l != null) {
                out.add(ts + ": " + l.describe());
            }
        }
        return out;
    }

    private void note(String what) {
        synchronized (log) {
            log.addLast(what);
            while (log.size() > 50) {
                log.removeFirst();
            }
        }
    }

    @Override
    public void ring(int ts, int callingPlan, int callingPres, String calling, String called, String name) {
        CarrierLeg leg = new CarrierLeg(ts, calling, called);
        leg.inbound = true;
        legs.set(ts, leg);
        span.attach(ts, leg);
        note("channel " + ts + ": call from the box " + ((callingPres & 0x60) == 0x20 ? "(withheld)" : calling) + " to " + called);
        if (autoAnswer) {
            answer(ts);
        }
    }

    @Override
    public void proceeding(int ts) {
    }

    @Override
    public void alerting(int ts) {
        note("channel " + ts + ": the box rings");
    }

    @Override
    public void answered(int ts) {
        CarrierLeg l = legs.get(ts);
        if (l != null) {
            l.up = true;
        }
        note("channel " + ts + ": the box answered");
    }

    @Override
    public void hungUp(int ts, int cause) {
        lastCause[ts] = cause;
        CarrierLeg l = legs.get(ts);
        if (l != null) {
            l.up = false;
        }
        note("channel " + ts + ": the box cleared, cause " + cause);
    }

    @Override
    public void freed(int ts) {
        legs.set(ts, null);
    }

    @Override
    public void refused(int ts, int cause, String why) {
        note("channel " + ts + ": refused a call from the box: " + why + " (cause " + cause + ")");
    }
}
