package org.switchboard.span.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.LineUnavailableException;

/**
 * The box's span (libpri CPE, through the JNI bridge) against the simulated carrier (libpri network
 * side) over the native span pair: the core is the only thing faked, by a publisher that records
 * what the span hands it.
 */
class SimulatedSpanTest {

    private static final Set<Integer> E1 = IntStream.rangeClosed(1, 31).filter(t -> t != 16).boxed().collect(Collectors.toSet());

    /** What the core would see of one leg. */
    static final class Leg implements ChannelSignals {
        final CallerId caller;
        final String called;
        final DriverChannel channel;
        final List<String> signals = new CopyOnWriteArrayList<>();
        final StringBuffer keys = new StringBuffer();
        volatile HangupCause cause;

        Leg(CallerId caller, String called, DriverChannel channel) {
            this.caller = caller;
            this.called = called;
            this.channel = channel;
        }

        @Override
        public String channelId() {
            return "test";
        }

        @Override
        public void alerting() {
            signals.add("alerting");
        }

        @Override
        public void answered() {
            signals.add("answered");
        }

        @Override
        public void callerId(CallerId callerId) {
        }

        @Override
        public void dtmf(char digit, int durationMs) {
            keys.append(digit);
        }

        @Override
        public void hungUp(HangupCause c) {
            cause = c;
            signals.add("hungUp " + c.code());
        }
    }

    private final BlockingQueue<Leg> inbound = new LinkedBlockingQueue<>();
    private final ChannelPublisher publisher = (lineId, callerId, calledNumber, channel) -> {
        Leg l = new Leg(callerId, calledNumber, channel);
        inbound.add(l);
        return l;
    };
    private SimCarrier carrier;
    private SpanLine box;

    @BeforeEach
    void openPair() {
        assertThat(SpanLib.loadError()).isNull();
        SpanConfig cfg = new SpanConfig("span1", true, 0, false, "pri-cpe", "euroisdn", true, E1, 16, "01066668000", 4);
        carrier = new SimCarrier(cfg);
        assertThat(carrier.span.open()).isNull();
        box = new SpanLine(cfg, "e1", publisher, (c, l) -> new PriSpan(c, carrier.span, l));
        assertThat(box.span.open()).isNull();
        carrier.span.start();
        box.span.start();
        await("D-channel up", () -> box.status().health() == LineHealth.ONLINE);
    }

    @AfterEach
    void close() {
        if (box != null) {
            box.close();
        }
        if (carrier != null) {
            carrier.span.close();
        }
    }

    static void await(String what, BooleanSupplier cond) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waiting for " + what).isNegative();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private Leg ringBox(String from, String to) throws InterruptedException {
        int ts = carrier.call(from, to, false);
        assertThat(ts).isPositive();
        Leg leg = inbound.poll(10, TimeUnit.SECONDS);
        assertThat(leg).as("a ringing channel in the core").isNotNull();
        return leg;
    }

    @Test
    void callFromTheCarrierCarriesNumbersAudioKeysAndCause16() throws Exception {
        Leg leg = ringBox("13800138000", "01066668000");
        assertThat(leg.caller.number()).isEqualTo("13800138000");
        assertThat(leg.called).isEqualTo("01066668000");
        SpanCall call = (SpanCall) leg.channel;
        leg.channel.answer();
        await("answered", () -> leg.signals.contains("answered"));
        CarrierLeg far = carrier.leg(call.timeslot);
        await("carrier sees the answer", () -> far.up);

        // a tone in: the carrier speaks 1000 Hz, the box reads it through the media port
        far.toneHz = 1000;
        short[] frame = new short[160];
        int[] crossings = {0};
        await("the box hears 1000 Hz", () -> {
            int frames = 0;
            crossings[0] = 0;
            short last = 0;
            while (call.read(frame)) {
                frames++;
                for (short s : frame) {
                    if ((s >= 0) != (last >= 0)) {
                        crossings[0]++;
                    }
                    last = s;
                }
            }
            // 1000 Hz is 2 zero crossings per ms: 320 in a 20 ms frame... per frame 40
            return frames > 0 && Math.abs(crossings[0] / frames - 40) <= 2;
        });
        // and out: the box writes 440 Hz, the carrier hears 440 Hz
        far.toneHz = 0;
        short[] tone = new short[160];
        Thread writer = new Thread(() -> {
            double ph = 0;
            while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < 160; i++) {
                    tone[i] = (short) (8000 * Math.sin(ph));
                    ph += 2 * Math.PI * 440 / 8000;
                }
                call.write(tone);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        try {
            await("the carrier hears 440 Hz", () -> Math.abs(far.heardHz() - 440) <= 10);
        } finally {
            writer.interrupt();
            writer.join();
        }

        // in-band keys from the carrier are detected on the box's side
        far.sendKeys("5#");
        await("keys 5# detected", () -> leg.keys.toString().equals("5#"));

        carrier.hangup(call.timeslot, 16);
        await("hung up", () -> leg.cause != null);
        assertThat(leg.cause.code()).isEqualTo(16);
        await("channel free", () -> box.busy() == 0);
    }

    @Test
    void withheldAndInternationalCallers() throws Exception {
        carrier.call("", "01066668000", true);
        Leg withheld = inbound.poll(10, TimeUnit.SECONDS);
        assertThat(withheld.caller.presentation()).isEqualTo(CallerId.Presentation.RESTRICTED);
        assertThat(withheld.caller.number()).isEmpty();
        withheld.channel.hangup(HangupCause.USER_BUSY);
        await("carrier got cause 17", () -> carrier.log().stream().anyMatch(l -> l.endsWith("cause 17")));
    }

    @Test
    void callOutIsAnsweredAndClearedByTheBox() throws Exception {
        Leg out = new Leg(CallerId.of("01066668000"), "13900139000", null);
        DriverChannel ch = box.dial("13900139000", CallerId.of("01066668000"), out);
        SpanCall call = (SpanCall) ch;
        assertThat(call.timeslot).as("a CPE hunts from the top").isEqualTo(31);
        await("far end answers", () -> out.signals.contains("answered"));
        CarrierLeg far = carrier.leg(31);
        assertThat(far.called).isEqualTo("13900139000");
        assertThat(far.calling).isEqualTo("01066668000");
        ch.hangup(HangupCause.NORMAL_CLEARING);
        await("carrier saw cause 16", () -> carrier.lastCause(31) == 16);
        await("channel free", () -> box.busy() == 0);
    }

    @Test
    void thirtyCallsThenLosEndsThemAndTheSpanRecovers() throws Exception {
        Map<Integer, Leg> legs = new ConcurrentHashMap<>();
        for (int i = 0; i < 30; i++) {
            carrier.call("1380000" + String.format("%04d", i), "01066668000", false);
        }
        for (int i = 0; i < 30; i++) {
            Leg l = inbound.poll(10, TimeUnit.SECONDS);
            assertThat(l).isNotNull();
            legs.put(((SpanCall) l.channel).timeslot, l);
            l.channel.answer();
        }
        assertThat(legs.keySet()).isEqualTo(E1);
        await("30 up", () -> legs.values().stream().allMatch(l -> l.signals.contains("answered")));
        assertThat(box.busy()).isEqualTo(30);
        assertThatThrownBy(() -> box.dial("1", CallerId.of("2"), new Leg(CallerId.UNKNOWN, "", null)))
                .isInstanceOf(LineUnavailableException.class).hasMessageContaining("all 30 channels busy");

        box.span.submit(h -> SpanLib.simAlarm(h, 1, 0));   // LOS on the box's receive side
        await("all ended", () -> legs.values().stream().allMatch(l -> l.cause != null));
        assertThat(legs.values()).allSatisfy(l -> assertThat(l.cause.code()).isEqualTo(38));
        await("offline with the alarm", () -> box.status().health() == LineHealth.OFFLINE);
        assertThat(box.status().reason()).contains("LOS");
        await("channels free", () -> box.busy() == 0);

        box.span.submit(h -> SpanLib.simAlarm(h, 0, 0));
        await("back online", () -> box.status().health() == LineHealth.ONLINE);
        carrier.call("13800138000", "01066668000", false);
        assertThat(inbound.poll(10, TimeUnit.SECONDS)).as("a call after recovery").isNotNull();
    }

    @Test
    void anR2ItuCallWithAniDnisSpeechAndClearing() throws Exception {
        close();
        inbound.clear();
        SpanConfig cfg = new SpanConfig("r2", true, 0, false, "r2-itu", "", true, E1, 16, "8000", 4);
        carrier = new SimCarrier(cfg);
        assertThat(carrier.span.open()).isNull();
        box = new SpanLine(cfg, "e1", publisher, (c, l) -> new PriSpan(c, carrier.span, l));
        assertThat(box.span.open()).isNull();
        carrier.span.start();
        box.span.start();
        await("R2 span online", () -> box.status().health() == LineHealth.ONLINE);

        carrier.call("13800138000", "8000", false);
        Leg leg = inbound.poll(15, TimeUnit.SECONDS);
        assertThat(leg).as("an R2 call offered after the MF exchange").isNotNull();
        assertThat(leg.caller.number()).isEqualTo("13800138000");
        assertThat(leg.called).isEqualTo("8000");
        SpanCall call = (SpanCall) leg.channel;
        leg.channel.answer();
        CarrierLeg far = carrier.leg(call.timeslot);
        await("carrier sees the answer", () -> far.up);
        far.toneHz = 1000;
        short[] frame = new short[160];
        await("speech after the answer", () -> {
            boolean any = false;
            while (call.read(frame)) {
                any |= Math.abs(frame[40]) > 1000 || Math.abs(frame[41]) > 1000;
            }
            return any;
        });
        carrier.hangup(call.timeslot, 16);
        await("cleared", () -> leg.cause != null);
        assertThat(leg.cause.code()).isEqualTo(16);
        await("channel free", () -> box.busy() == 0);
    }

    @Test
    void aBadNumberIsRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> box.dial("12a4", CallerId.of("2"), new Leg(CallerId.UNKNOWN, "", null)))
                .isInstanceOf(LineUnavailableException.class).hasMessageContaining("allowed: up to 32 digits");
    }

    @Test
    void aSecondPeerOnTheSamePairIsRefused() {
        SpanConfig cfg = new SpanConfig("span9", true, 0, false, "pri-cpe", "euroisdn", true, E1, 16, "", 4);
        PriSpan third = new PriSpan(cfg, carrier.span, new SimCarrier(cfg));
        assertThat(third.open()).contains("not the free end");
    }

    @Test
    void aDahdiSpanWithoutTheDriverIsOfflineWithTheReason() {
        SpanConfig cfg = new SpanConfig("span7", false, 7, false, "pri-cpe", "euroisdn", true, E1, 16, "", 4);
        SpanLine line = new SpanLine(cfg, "card", publisher, (c, l) -> new PriSpan(c, null, l));
        try {
            line.span.open();
            assertThat(line.status().health()).isEqualTo(LineHealth.OFFLINE);
            assertThat(line.status().reason()).contains("no DAHDI span 7");
        } finally {
            line.close();
        }
    }
}
