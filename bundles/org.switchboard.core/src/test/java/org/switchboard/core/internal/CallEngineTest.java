package org.switchboard.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.switchboard.core.api.AudioSource;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControlException;
import org.switchboard.core.api.CallEvent;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.DigitRequest;
import org.switchboard.core.api.DigitResult;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.Playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallEngineTest {

    private CallEngine engine;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final FakeLine line1 = new FakeLine("lab-1", (short) 1111);
    private final FakeLine line2 = new FakeLine("lab-2", (short) 2222);

    @BeforeEach
    void start() {
        engine = new CallEngine(new CoreOptions(2, Duration.ofSeconds(120)));
        engine.addLine(line1);
        engine.addLine(line2);
        engine.addListener(events::add);
    }

    @AfterEach
    void stop() {
        engine.deactivate();
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private Channel ringingLeg() {
        line1.ring(engine, "13800138000");
        Poll.until("the call is registered", () -> !engine.calls().isEmpty());
        return engine.calls().iterator().next().origin();
    }

    private <E extends CallEvent> List<E> eventsOf(Class<E> type) {
        List<E> out = new ArrayList<>();
        for (CallEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    @Test
    void theMediaClockServiceReportsTheClockThreadsPriority() {
        // the engine is the MediaClock service media:clock reads: it must pass the clock's report on
        assertThat(engine.schedulingPriority()).as("the SPI's default would say unknown").isNotEqualTo("unknown");
    }

    @Test
    void inboundCallRingsAndIsOfferedToTheHighestRankedHandler() {
        List<String> offeredTo = new CopyOnWriteArrayList<>();
        engine.addHandler((call, ch) -> offeredTo.add("low"), Map.of(Constants.SERVICE_RANKING, 1, Constants.SERVICE_ID, 10L));
        engine.addHandler((call, ch) -> offeredTo.add("high"), Map.of(Constants.SERVICE_RANKING, 5, Constants.SERVICE_ID, 11L));

        Channel leg = ringingLeg();

        assertThat(leg.state()).isEqualTo(ChannelState.RINGING);
        assertThat(leg.callerId().number()).isEqualTo("13800138000");
        assertThat(leg.calledNumber()).isEqualTo("4000");
        assertThat(leg.id()).startsWith("lab-1/");
        Poll.until("the handler saw the call", () -> !offeredTo.isEmpty());
        assertThat(offeredTo).containsExactly("high");
        assertThat(eventsOf(CallEvent.ChannelAdded.class)).hasSize(1);
    }

    @Test
    void answeredLegMovesAudioOnTheClock() throws Exception {
        Channel leg = ringingLeg();

        await(engine.answer(leg));

        assertThat(leg.state()).isEqualTo(ChannelState.ANSWERED);
        assertThat(leg.answeredAt()).isPresent();
        Poll.until("frames are read from the line", () -> leg.framesIn() >= 3);
        assertThat(engine.stats().activeLegs()).isEqualTo(1);
        assertThat(eventsOf(CallEvent.StateChanged.class)).extracting(CallEvent.StateChanged::to)
                .containsExactly(ChannelState.ANSWERED);
    }

    @Test
    void bridgedLegsHearEachOther() throws Exception {
        Channel caller = ringingLeg();
        await(engine.answer(caller));
        Call call = engine.call(caller.callId()).orElseThrow();

        Channel agent = await(engine.originate(call, "lab-2", "1001", CallerId.of("4000")));
        assertThat(agent.state()).isEqualTo(ChannelState.DIALING);
        FakeLine.Leg agentLine = line2.legs.get(0);
        assertThat(agentLine.dialled).isEqualTo("1001");
        agentLine.signals.alerting();
        agentLine.signals.answered();
        Poll.until("the agent answered", () -> agent.state() == ChannelState.ANSWERED);

        await(engine.bridge(caller, agent, true));

        FakeLine.Leg callerLine = line1.legs.get(0);
        Poll.until("each side hears the other", () -> callerLine.lastHeardSample == 2222 && agentLine.lastHeardSample == 1111);
        assertThat(caller.state()).isEqualTo(ChannelState.BRIDGED);
        assertThat(caller.bridgedTo()).contains(agent.id());
        assertThat(eventsOf(CallEvent.Bridged.class)).hasSize(1);
    }

    /** A caller answered and an agent dialled into its call and answered, not yet bridged. */
    private Channel[] answeredPair() throws Exception {
        Channel caller = ringingLeg();
        await(engine.answer(caller));
        Call call = engine.call(caller.callId()).orElseThrow();
        Channel agent = await(engine.originate(call, "lab-2", "1001", CallerId.of("4000")));
        line2.legs.get(0).signals.answered();
        Poll.until("the agent answered", () -> agent.state() == ChannelState.ANSWERED);
        return new Channel[] {caller, agent};
    }

    private Channel[] bridgedPair(boolean endTogether) throws Exception {
        Channel[] pair = answeredPair();
        await(engine.bridge(pair[0], pair[1], endTogether));
        return pair;
    }

    @Test
    void farEndHangupEndsTheBridgedPeerAndTheCallOnce() throws Exception {
        Channel[] pair = bridgedPair(true);

        line1.legs.get(0).signals.hungUp(HangupCause.NORMAL_CLEARING);

        Poll.until("the call ended", () -> !eventsOf(CallEvent.CallEnded.class).isEmpty());
        assertThat(pair[0].hangupCause()).contains(HangupCause.NORMAL_CLEARING);
        assertThat(pair[1].state()).isEqualTo(ChannelState.HUNG_UP);
        assertThat(line2.legs.get(0).releasedWith).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertThat(line1.legs.get(0).releasedWith).as("the box does not release a line the far end released").isNull();
        assertThat(eventsOf(CallEvent.ChannelHungUp.class)).extracting(CallEvent.ChannelHungUp::byFarEnd)
                .containsExactly(true, false);
        assertThat(engine.calls()).isEmpty();
        assertThat(engine.channel(pair[0].id())).isEmpty();
        assertThat(engine.stats().activeLegs()).isZero();
    }

    @Test
    void peerStaysAnsweredWhenNotEndingTogether() throws Exception {
        Channel[] pair = bridgedPair(false);

        line2.legs.get(0).signals.hungUp(HangupCause.NORMAL_CLEARING);

        Poll.until("the caller is back to answered", () -> pair[0].state() == ChannelState.ANSWERED);
        assertThat(pair[0].bridgedTo()).isEmpty();
        assertThat(engine.calls()).hasSize(1);
        assertThat(eventsOf(CallEvent.CallEnded.class)).isEmpty();
    }

    private Channel[] callerKeptPair() throws Exception {
        Channel[] pair = answeredPair();
        await(engine.bridgeKeepingCaller(pair[0], pair[1]));
        return pair;
    }

    @Test
    void theAgentHangingUpFirstLeavesTheCallerForTheApplication() throws Exception {
        Channel[] pair = callerKeptPair();

        line2.legs.get(0).signals.hungUp(HangupCause.NORMAL_CLEARING);

        Poll.until("the caller is back to answered", () -> pair[0].state() == ChannelState.ANSWERED);
        assertThat(pair[1].state()).isEqualTo(ChannelState.HUNG_UP);
        assertThat(line1.legs.get(0).releasedWith).as("the caller's line stays up").isNull();
        assertThat(engine.calls()).hasSize(1);
    }

    @Test
    void theCallerHangingUpEndsTheAgentAtOnce() throws Exception {
        Channel[] pair = callerKeptPair();

        line1.legs.get(0).signals.hungUp(HangupCause.NORMAL_CLEARING);

        Poll.until("the call ended", () -> !eventsOf(CallEvent.CallEnded.class).isEmpty());
        assertThat(pair[1].state()).isEqualTo(ChannelState.HUNG_UP);
        assertThat(line2.legs.get(0).releasedWith).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertThat(engine.calls()).isEmpty();
    }

    @Test
    void bridgingRefusesLegsThatAreNotUpOrInAnotherCall() throws Exception {
        Channel ringing = ringingLeg();
        Call call = engine.call(ringing.callId()).orElseThrow();
        line2.ring(engine, "555");
        Poll.until("second call", () -> engine.calls().size() == 2);
        Channel second = engine.calls().stream().filter(c -> c != call).findFirst().orElseThrow().origin();

        assertThatThrownBy(() -> engine.bridge(ringing, second, true)).isInstanceOf(CallControlException.class)
                .hasMessageContaining("belong to calls");
        Channel dialled = await(engine.originate(call, "lab-2", "1001", CallerId.UNKNOWN));
        assertThatThrownBy(() -> await(engine.bridge(ringing, dialled, true)))
                .hasCauseInstanceOf(CallControlException.class).hasMessageContaining("only answered legs");
    }

    @Test
    void originateOnUnknownOrBusyLineFailsWithReason() throws Exception {
        Channel caller = ringingLeg();
        Call call = engine.call(caller.callId()).orElseThrow();

        assertThatThrownBy(() -> await(engine.originate(call, "nope", "1", CallerId.UNKNOWN)))
                .hasMessageContaining("no line 'nope'").hasMessageContaining("lab-1");
        assertThatThrownBy(() -> await(engine.originate(call, "lab-2", "busy", CallerId.UNKNOWN)))
                .hasMessageContaining("line lab-2 is busy");
        assertThat(call.channels()).hasSize(1);
    }

    @Test
    void dialStartsANewCallWithOneOutboundLeg() throws Exception {
        Channel leg = await(engine.dial("lab-2", "1001", CallerId.of("4000")));
        assertThat(leg.state()).isEqualTo(ChannelState.DIALING);
        Call call = engine.call(leg.callId()).orElseThrow();
        assertThat(call.channels()).containsExactly(leg);
        assertThat(engine.calls()).contains(call);
        assertThatThrownBy(() -> await(engine.dial("nope", "1", CallerId.UNKNOWN))).hasMessageContaining("no line 'nope'");
    }

    @Test
    void digitsPressedBeforeCollectingCountAndTerminatorEndsInput() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));
        var signals = line1.legs.get(0).signals;
        signals.dtmf('1', 80);
        signals.dtmf('2', 80);
        Poll.until("digits buffered", () -> eventsOf(CallEvent.DtmfReceived.class).size() == 2);

        var result = engine.collectDigits(leg, new DigitRequest(6, "#", Duration.ofSeconds(5), Duration.ofSeconds(5)));
        signals.dtmf('3', 80);
        signals.dtmf('#', 80);

        assertThat(await(result)).isEqualTo(new DigitResult("123", DigitResult.End.TERMINATOR));
        assertThat(eventsOf(CallEvent.DtmfReceived.class)).extracting(CallEvent.DtmfReceived::digit)
                .containsExactly('1', '2', '3', '#');
    }

    @Test
    void collectionStopsAtMaxDigitsOrTimeout() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));
        var signals = line1.legs.get(0).signals;

        var two = engine.collectDigits(leg, new DigitRequest(2, "", Duration.ofSeconds(5), Duration.ofSeconds(5)));
        signals.dtmf('4', 0);
        signals.dtmf('5', 0);
        signals.dtmf('6', 0);
        assertThat(await(two)).isEqualTo(new DigitResult("45", DigitResult.End.MAX_DIGITS));

        var timeout = engine.collectDigits(leg, new DigitRequest(4, "#", Duration.ofMillis(200), Duration.ofMillis(100)));
        assertThat(await(timeout)).as("'6' was buffered; no further key within the inter-digit timeout")
                .isEqualTo(new DigitResult("6", DigitResult.End.TIMEOUT));

        var nothing = engine.collectDigits(leg, DigitRequest.oneKey(Duration.ofMillis(100)));
        assertThat(await(nothing)).isEqualTo(new DigitResult("", DigitResult.End.TIMEOUT));
    }

    @Test
    void hangupDuringCollectionAndPlaybackEndsBothWithHangup() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));
        Playback p = engine.play(leg, new Tone((short) 7, 1000), false);
        var collect = engine.collectDigits(leg, DigitRequest.oneKey(Duration.ofSeconds(30)));

        line1.legs.get(0).signals.hungUp(HangupCause.USER_BUSY);

        assertThat(await(collect).end()).isEqualTo(DigitResult.End.HANGUP);
        assertThat(await(p.done())).isEqualTo(Playback.End.HANGUP);
        assertThat(leg.hangupCause()).contains(HangupCause.USER_BUSY);
    }

    @Test
    void playbackIsHeardAndCompletes() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));
        Tone tone = new Tone((short) 4242, 5);

        Playback p = engine.play(leg, tone, false);

        assertThat(await(p.done())).isEqualTo(Playback.End.COMPLETED);
        assertThat(line1.legs.get(0).lastHeardSample).isEqualTo((short) 4242);
        assertThat(tone.closed).isTrue();
        assertThat(tone.played).isEqualTo(5);
    }

    @Test
    void keyPressBargesIntoAPromptAndIsKeptForTheMenu() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));
        Playback p = engine.play(leg, new Tone((short) 1, 10_000), true);
        Poll.until("the prompt is playing", () -> line1.legs.get(0).written > 2);

        line1.legs.get(0).signals.dtmf('2', 100);

        assertThat(await(p.done())).isEqualTo(Playback.End.BARGED_IN);
        assertThat(await(engine.collectDigits(leg, DigitRequest.oneKey(Duration.ofSeconds(1)))).digits()).isEqualTo("2");
    }

    @Test
    void playbackWithoutBargeInIgnoresKeysAndNewPlaybackReplacesOld() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));
        Playback first = engine.play(leg, new Tone((short) 1, 10_000), false);
        line1.legs.get(0).signals.dtmf('9', 100);
        Poll.until("key seen", () -> eventsOf(CallEvent.DtmfReceived.class).size() == 1);
        assertThat(first.done().toCompletableFuture().isDone()).isFalse();

        Playback second = engine.play(leg, new Tone((short) 2, 3), false);

        assertThat(await(first.done())).isEqualTo(Playback.End.STOPPED);
        assertThat(await(second.done())).isEqualTo(Playback.End.COMPLETED);
    }

    @Test
    void answerOfAnEndedLegFailsAndLateSignalsAreIgnored() throws Exception {
        Channel leg = ringingLeg();
        await(engine.hangup(leg, HangupCause.CALL_REJECTED));
        assertThat(line1.legs.get(0).releasedWith).isEqualTo(HangupCause.CALL_REJECTED);

        assertThatThrownBy(() -> await(engine.answer(leg))).hasCauseInstanceOf(CallControlException.class)
                .hasMessageContaining("only a RINGING leg can be answered");
        long before = engine.ignoredSignals();
        line1.legs.get(0).signals.answered();
        Poll.until("the late answer was counted", () -> engine.ignoredSignals() == before + 1);
        assertThat(leg.state()).isEqualTo(ChannelState.HUNG_UP);
        assertThat(engine.stats().activeLegs()).isZero();
    }

    @Test
    void unansweredCallIsReleasedAfterTheRingLimit() throws Exception {
        engine.deactivate();
        engine = new CallEngine(new CoreOptions(1, Duration.ofSeconds(1)));
        engine.addLine(line1);
        engine.addListener(events::add);
        Channel leg = ringingLeg();

        Poll.until("released", () -> leg.state() == ChannelState.HUNG_UP);
        assertThat(leg.hangupCause()).contains(HangupCause.NO_ANSWER);
        assertThat(line1.legs.get(0).releasedWith).isEqualTo(HangupCause.NO_ANSWER);
    }

    @Test
    void aFailingPortDoesNotStopTheClockForOtherLegs() throws Exception {
        Channel first = ringingLeg();
        await(engine.answer(first));
        line1.legs.get(0).failReads = true;
        line2.ring(engine, "777");
        Poll.until("second call", () -> engine.calls().size() == 2);
        Channel second = engine.calls().stream().map(Call::origin).filter(c -> c.lineId().equals("lab-2")).findFirst().orElseThrow();
        await(engine.answer(second));
        long before = second.framesIn();

        Poll.until("the healthy leg keeps moving", () -> second.framesIn() > before + 5);
        assertThat(engine.stats().ticks()).isPositive();
    }

    @Test
    void eventsOfOneCallArriveInOrderAndNeverConcurrently() throws Exception {
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        Map<String, List<Character>> seen = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        engine.addListener(e -> {
            AtomicInteger n = inFlight.computeIfAbsent(e.call().id(), k -> new AtomicInteger());
            if (n.incrementAndGet() > 1) {
                overlaps.add(e.call().id());
            }
            if (e instanceof CallEvent.DtmfReceived d) {
                seen.computeIfAbsent(e.call().id(), k -> new CopyOnWriteArrayList<>()).add(d.digit());
            }
            Thread.onSpinWait();
            n.decrementAndGet();
        });
        List<FakeLine.Leg> legs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            legs.add(line1.ring(engine, "100" + i));
        }
        Poll.until("20 calls", () -> engine.calls().size() == 20);
        for (Call c : engine.calls()) {
            await(engine.answer(c.origin()));
        }
        String keys = "0123456789*#ABCD";
        for (char k : keys.toCharArray()) {
            for (FakeLine.Leg leg : legs) {
                leg.signals.dtmf(k, 40);
            }
        }
        Poll.until("every key of every call delivered", () -> seen.size() == 20
                && seen.values().stream().allMatch(l -> l.size() == keys.length()));
        assertThat(overlaps).isEmpty();
        for (List<Character> l : seen.values()) {
            assertThat(l).containsExactlyElementsOf(keys.chars().mapToObj(c -> (char) c).toList());
        }
    }

    @Test
    void sendDtmfReachesTheDriverAndRejectsBadKeys() throws Exception {
        Channel leg = ringingLeg();
        await(engine.answer(leg));

        await(engine.sendDtmf(leg, "12#"));

        assertThat(line1.legs.get(0).sentDtmf).isEqualTo("12#");
        assertThatThrownBy(() -> engine.sendDtmf(leg, "1x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x' at position 2");
    }

    @Test
    void hangingUpAWholeCallReleasesEveryLeg() throws Exception {
        Channel[] pair = bridgedPair(false);
        Call call = engine.call(pair[0].callId()).orElseThrow();

        await(engine.hangup(call, HangupCause.NORMAL_CLEARING));

        assertThat(pair[0].state()).isEqualTo(ChannelState.HUNG_UP);
        assertThat(pair[1].state()).isEqualTo(ChannelState.HUNG_UP);
        assertThat(call.ended()).isTrue();
        assertThat(engine.calls()).isEmpty();
        assertThat(eventsOf(CallEvent.CallEnded.class)).hasSize(1);
    }

    /** A constant tone of a given number of frames. */
    static final class Tone implements AudioSource {
        private final short value;
        private final int frames;
        volatile int played;
        volatile boolean closed;

        Tone(short value, int frames) {
            this.value = value;
            this.frames = frames;
        }

        @Override
        public boolean read(short[] frame) {
            if (played >= frames) {
                return false;
            }
            java.util.Arrays.fill(frame, value);
            played++;
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void answerCompletesOnlyWhenTheDriverSaysAudioFlows() throws Exception {
        line1.answerImmediately = false;
        Channel leg = ringingLeg();

        CompletableFuture<Void> answered = engine.answer(leg).toCompletableFuture();
        Poll.until("the driver was asked", () -> line1.legs.get(0).answerRequested);
        assertThat(answered).isNotDone();
        line1.legs.get(0).signals.answered();

        await(answered);
        assertThat(leg.state()).isEqualTo(ChannelState.ANSWERED);
    }

    @Test
    void callerHangsUpBeforeTheDriverAnswers() {
        line1.answerImmediately = false;
        Channel leg = ringingLeg();
        CompletableFuture<Void> answered = engine.answer(leg).toCompletableFuture();
        Poll.until("the driver was asked", () -> line1.legs.get(0).answerRequested);

        line1.legs.get(0).signals.hungUp(HangupCause.NORMAL_CLEARING);

        assertThatThrownBy(() -> answered.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("hung up");
    }
}
