package org.switchboard.line.serial.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;

/**
 * The edge these tests fake: the core. Records what a line tells it, as text events in order
 * ("inbound 13800138000", "callerId withheld", "answered", "dtmf 5", "hungUp 16").
 */
final class Recorder implements ChannelPublisher {

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<DriverChannel> inbound = new ArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    volatile long lastInboundNanos;

    @Override
    public synchronized ChannelSignals inbound(String lineId, CallerId callerId, String calledNumber, DriverChannel channel) {
        lastInboundNanos = System.nanoTime();
        inbound.add(channel);
        events.add("inbound " + callerId.display() + " to " + calledNumber);
        return signals(lineId + "/" + seq.incrementAndGet());
    }

    synchronized DriverChannel lastInbound() {
        return inbound.get(inbound.size() - 1);
    }

    ChannelSignals signals(String id) {
        return new ChannelSignals() {
            @Override
            public String channelId() {
                return id;
            }

            @Override
            public void alerting() {
                events.add("alerting");
            }

            @Override
            public void answered() {
                events.add("answered");
            }

            @Override
            public void callerId(CallerId c) {
                events.add("callerId " + c.display() + " " + c.presentation());
            }

            @Override
            public void dtmf(char digit, int durationMs) {
                events.add("dtmf " + digit);
            }

            @Override
            public void hungUp(HangupCause cause) {
                events.add("hungUp " + cause.code());
            }
        };
    }

    /** The next event that starts with {@code prefix}, skipping others; fails after {@code wait}. */
    String next(String prefix, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event '" + prefix + "...' within " + wait + "; saw " + skipped);
            }
            if (e.startsWith(prefix)) {
                return e;
            }
            skipped.add(e);
        }
    }
}
