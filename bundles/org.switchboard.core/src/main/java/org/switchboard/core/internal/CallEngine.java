package org.switchboard.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.switchboard.core.api.AudioSink;
import org.switchboard.core.api.AudioSource;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallControlException;
import org.switchboard.core.api.CallEvent;
import org.switchboard.core.api.CallEventListener;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.DigitRequest;
import org.switchboard.core.api.DigitResult;
import org.switchboard.core.api.Direction;
import org.switchboard.core.api.Dtmf;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.MediaFormat;
import org.switchboard.core.api.InboundCallHandler;
import org.switchboard.core.api.Playback;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DirectMediaPort;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.core.spi.MediaClock;
import org.switchboard.core.spi.MediaTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call registry and call control: owns every call and leg of the box, the media clock that
 * moves their audio, and the per-call executors that serialize what happens to each call.
 * Bridges and playbacks live here, so an application bundle that goes away never takes a
 * connected call with it.
 */
@Component(service = {CallControl.class, ChannelPublisher.class, MediaClock.class, CallEngine.class},
        configurationPid = "org.switchboard.core")
@Designate(ocd = CoreConfig.class)
public final class CallEngine implements CallControl, ChannelPublisher, MediaClock {

    private static final Logger LOG = LoggerFactory.getLogger(CallEngine.class);

    private final Map<String, CallImpl> calls = new ConcurrentHashMap<>();
    private final Map<String, ChannelImpl> channels = new ConcurrentHashMap<>();
    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    private final List<CallEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<RankedHandler> handlers = new CopyOnWriteArrayList<>();
    private final CallIds callIds = new CallIds();
    private final AtomicLong channelSeq = new AtomicLong();
    private final AtomicLong ignoredSignals = new AtomicLong();

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timers;
    private final MediaClockImpl clock;
    private volatile Duration ringTimeout;

    private record RankedHandler(InboundCallHandler handler, int ranking, long serviceId) {
    }

    @Activate
    public CallEngine(CoreConfig config) {
        this(CoreOptions.from(config));
    }

    /**
     * A call engine outside OSGi, for the tests of driver and media bundles and for benchmarks;
     * the caller binds lines and listeners by hand and calls {@link #deactivate()} at the end.
     */
    public static CallEngine standalone(int callThreads, Duration ringTimeout) {
        return new CallEngine(new CoreOptions(callThreads, ringTimeout));
    }

    CallEngine(CoreOptions options) {
        this.pool = new ThreadPoolExecutor(options.callThreads(), options.callThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("switchboard-call-"));
        this.pool.allowCoreThreadTimeOut(true);
        this.timers = Executors.newSingleThreadScheduledExecutor(named("switchboard-call-timer-"));
        this.ringTimeout = options.ringTimeout();
        this.clock = new MediaClockImpl(pool);
        clock.start();
        clock.realtime(options.clockRealtimePriority());
        LOG.info("Call engine started: {} call-control threads, media clock at 20 ms", options.callThreads());
    }

    /** Applies a changed configuration to the running engine: calls that are up stay up. */
    @Modified
    void modified(CoreConfig config) {
        CoreOptions options = CoreOptions.from(config);
        clock.realtime(options.clockRealtimePriority());
        if (options.callThreads() > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(options.callThreads());
            pool.setCorePoolSize(options.callThreads());
        } else {
            pool.setCorePoolSize(options.callThreads());
            pool.setMaximumPoolSize(options.callThreads());
        }
        this.ringTimeout = options.ringTimeout();
        LOG.info("Core configuration applied: {} call-control threads, ring limit {} s", options.callThreads(),
                options.ringTimeout().toSeconds());
    }

    @Deactivate
    public void deactivate() {
        int open = calls.size();
        for (CallImpl call : calls.values()) {
            for (ChannelImpl ch : call.legs()) {
                if (ch.state() != ChannelState.HUNG_UP) {
                    try {
                        DriverChannel d = ch.driver();
                        if (d != null) {
                            d.hangup(HangupCause.SWITCH_CONGESTION);
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("hangup of {} on shutdown failed", ch.id(), e);
                    }
                }
            }
        }
        clock.stop();
        timers.shutdownNow();
        pool.shutdown();
        if (open > 0) {
            LOG.warn("Call engine stopped with {} call(s) up; their lines were released", open);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            // made on whichever thread first submits (a SIP or RTP thread of raised priority): call
            // control runs at the normal priority, below the media clock
            t.setPriority(Thread.NORM_PRIORITY);
            return t;
        };
    }

    // ---------------------------------------------------------------- whiteboard

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeLine")
    public void addLine(Line line) {
        Line before = lines.putIfAbsent(line.id(), line);
        if (before != null && before != line) {
            LOG.warn("Two drivers publish line '{}' (cards '{}' and '{}'); the second one is ignored",
                    line.id(), before.cardId(), line.cardId());
        }
    }

    public void removeLine(Line line) {
        lines.remove(line.id(), line);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeListener")
    public void addListener(CallEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CallEventListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeHandler")
    public void addHandler(InboundCallHandler handler, Map<String, Object> props) {
        Object r = props.get(Constants.SERVICE_RANKING);
        int ranking = r instanceof Integer i ? i : 0;
        long id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : 0L;
        handlers.add(new RankedHandler(handler, ranking, id));
    }

    public void removeHandler(InboundCallHandler handler) {
        handlers.removeIf(h -> h.handler() == handler);
    }

    private Optional<InboundCallHandler> bestHandler() {
        return handlers.stream()
                .max(Comparator.comparingInt(RankedHandler::ranking)
                        .thenComparing(Comparator.comparingLong(RankedHandler::serviceId).reversed()))
                .map(RankedHandler::handler);
    }

    /** The lines every driver publishes, by id. */
    public Map<String, Line> lines() {
        return Map.copyOf(lines);
    }

    /** Signals from drivers that did not fit the leg's state, since start. */
    public long ignoredSignals() {
        return ignoredSignals.get();
    }

    // ---------------------------------------------------------------- driver side

    @Override
    public ChannelSignals inbound(String lineId, CallerId callerId, String calledNumber, DriverChannel driver) {
        if (!lines.containsKey(lineId)) {
            LOG.warn("Inbound call on line '{}', which no driver has published", lineId);
        }
        CallImpl call = newCall();
        ChannelImpl ch = new ChannelImpl(channelId(lineId), lineId, call, Direction.INBOUND, ChannelState.RINGING,
                callerId == null ? CallerId.UNKNOWN : callerId, calledNumber == null ? "" : calledNumber);
        ch.driver(driver);
        register(call, ch);
        call.executor().execute(() -> {
            emit(new CallEvent.ChannelAdded(call, ch));
            ch.pendingRingTimer(timers.schedule(() -> call.executor().execute(() -> {
                if (ch.state() == ChannelState.RINGING) {
                    LOG.info("{}: nobody answered in {} s, releasing", ch.id(), ringTimeout.toSeconds());
                    release(ch, HangupCause.NO_ANSWER);
                }
            }), ringTimeout.toMillis(), TimeUnit.MILLISECONDS));
            Optional<InboundCallHandler> handler = bestHandler();
            if (handler.isPresent()) {
                try {
                    handler.get().onInboundCall(call, ch);
                } catch (RuntimeException e) {
                    LOG.error("Inbound call handler failed on call {}; the call keeps ringing", call.id(), e);
                }
            } else {
                LOG.info("Call {} on {} from {} to '{}': no inbound call handler installed, it rings until released",
                        call.id(), lineId, ch.callerId().display(), ch.calledNumber());
            }
        });
        return ch.signals();
    }

    private CallImpl newCall() {
        String id = callIds.next();
        return new CallImpl(id, this, new SerialExecutor(pool, "call " + id));
    }

    private String channelId(String lineId) {
        return lineId + "/" + channelSeq.incrementAndGet();
    }

    private void register(CallImpl call, ChannelImpl ch) {
        call.add(ch);
        calls.put(call.id(), call);
        channels.put(ch.id(), ch);
    }

    void onAlerting(ChannelImpl ch) {
        transition(ch, ChannelState.ALERTING);
    }

    void onAnswered(ChannelImpl ch) {
        if (!transition(ch, ChannelState.ANSWERED)) {
            return;
        }
        ch.cancelRingTimer();
        MediaLeg leg = new MediaLeg(ch, ch.driver().media());
        ch.media(leg);
        clock.add(leg);
        for (CompletableFuture<Void> f : ch.pendingAnswers) {
            f.complete(null);
        }
        ch.pendingAnswers.clear();
    }

    void onCallerId(ChannelImpl ch, CallerId callerId) {
        if (ch.state() == ChannelState.HUNG_UP) {
            ignoredSignals.incrementAndGet();
            return;
        }
        ch.callerId(callerId);
        emit(new CallEvent.CallerIdChanged(ch.call(), ch, callerId));
    }

    void onDtmf(ChannelImpl ch, char digit, int durationMs) {
        if (!ch.state().isUp() || !Dtmf.isDigit(digit)) {
            ignoredSignals.incrementAndGet();
            return;
        }
        ch.keyReceived(digit);
        emit(new CallEvent.DtmfReceived(ch.call(), ch, digit, durationMs));
        MediaLeg leg = ch.media();
        PlaybackImpl playing = leg == null ? null : leg.playback.get();
        if (playing != null && playing.bargeIn()) {
            playing.end(Playback.End.BARGED_IN);
        }
        DigitCollection c = ch.collection;
        if (c != null && !c.isDone()) {
            if (c.offer(digit)) {
                ch.collection = null;
            } else {
                armDigitTimer(ch, c, c.request.interDigitTimeout());
            }
        } else if (ch.digits.size() < ChannelImpl.DIGIT_BUFFER) {
            ch.digits.add(digit);
        } else {
            LOG.debug("{}: digit buffer full, '{}' dropped", ch.id(), digit);
        }
    }

    void onFarEndHangup(ChannelImpl ch, HangupCause cause) {
        if (ch.state() == ChannelState.HUNG_UP) {
            return;
        }
        down(ch, cause, true);
    }

    /** Clock thread: reported from the call's executor, so the clock never waits on the log. */
    void mediaFault(ChannelImpl ch, RuntimeException e) {
        ch.call().executor().execute(() -> LOG.error(
                "{}: its media port failed on the clock thread; further failures on this leg are only counted", ch.id(), e));
    }

    // ---------------------------------------------------------------- state machine

    private boolean transition(ChannelImpl ch, ChannelState to) {
        ChannelState from = ch.state();
        if (from == to) {
            return false;
        }
        if (!from.canGoTo(to)) {
            ignoredSignals.incrementAndGet();
            LOG.debug("{}: {} -> {} is not a valid transition, ignored", ch.id(), from, to);
            return false;
        }
        ch.state(to);
        emit(new CallEvent.StateChanged(ch.call(), ch, from, to));
        return true;
    }

    /** The box ends the leg: tell the driver, then take it down. */
    private void release(ChannelImpl ch, HangupCause cause) {
        if (ch.state() == ChannelState.HUNG_UP) {
            return;
        }
        DriverChannel d = ch.driver();
        if (d != null) {
            try {
                d.hangup(cause);
            } catch (RuntimeException e) {
                LOG.warn("{}: the driver failed to release the line", ch.id(), e);
            }
        }
        down(ch, cause, false);
    }

    /** Executor: everything that goes with a leg going down, then the call if it was the last leg. */
    private void down(ChannelImpl ch, HangupCause cause, boolean byFarEnd) {
        ch.cancelRingTimer();
        // the leg is down (with its cause) before anything waiting on it hears of it
        ch.cause(cause);
        transition(ch, ChannelState.HUNG_UP);
        ChannelImpl peer = ch.peer();
        if (peer != null) {
            separate(ch, peer);
        }
        MediaLeg leg = ch.media();
        if (leg != null) {
            clock.remove(leg);
            PlaybackImpl p = leg.playback.get();
            if (p != null) {
                p.end(Playback.End.HANGUP);
            }
        }
        if (ch.collection != null) {
            ch.collection.finish(DigitResult.End.HANGUP);
            ch.collection = null;
        }
        ch.digits.clear();
        for (CompletableFuture<Void> f : ch.pendingAnswers) {
            f.completeExceptionally(new CallControlException(ch.id() + " hung up (" + cause + ") before it was answered"));
        }
        ch.pendingAnswers.clear();
        channels.remove(ch.id(), ch);
        emit(new CallEvent.ChannelHungUp(ch.call(), ch, cause, byFarEnd));
        if (peer != null && peer.state() != ChannelState.HUNG_UP) {
            if (ch.endTogether) {
                release(peer, cause);
            } else {
                transition(peer, ChannelState.ANSWERED);
            }
        }
        CallImpl call = ch.call();
        if (call.ended() && calls.remove(call.id(), call)) {
            emit(new CallEvent.CallEnded(call));
        }
    }

    private void separate(ChannelImpl a, ChannelImpl b) {
        a.peer(null);
        b.peer(null);
        MediaLeg la = a.media();
        MediaLeg lb = b.media();
        if (la != null) {
            la.peer = null;
        }
        if (lb != null) {
            lb.peer = null;
        }
        stopRelay(la, lb);
    }

    /**
     * Two bridged legs whose ports can pass packets straight to each other (RTP with the same codec)
     * do so, between ticks, as long as nothing needs their audio as frames.
     */
    void startRelay(ChannelImpl a, ChannelImpl b) {
        MediaLeg la = a.media();
        MediaLeg lb = b.media();
        if (la == null || lb == null || !(la.port() instanceof DirectMediaPort pa) || !(lb.port() instanceof DirectMediaPort pb)) {
            return;
        }
        clock.betweenTicks(() -> {
            if (la.peer != lb || lb.peer != la || la.playback.get() != null || lb.playback.get() != null || la.relaying
                    || la.taps.get() > 0 || lb.taps.get() > 0) {
                return;
            }
            if (pa.relayTo(pb) && pb.relayTo(pa)) {
                la.relaying = true;
                lb.relaying = true;
                la.relayed = true;
                lb.relayed = true;
            } else {
                pa.stopRelay();
                pb.stopRelay();
            }
        });
    }

    /** Back to frames, between ticks, before anything plays to or taps the legs. */
    void stopRelay(MediaLeg la, MediaLeg lb) {
        clock.betweenTicks(() -> {
            for (MediaLeg l : new MediaLeg[] {la, lb}) {
                if (l != null && l.relaying) {
                    ((DirectMediaPort) l.port()).stopRelay();
                    l.relaying = false;
                    l.relayed = false;
                }
            }
        });
    }

    private void emit(CallEvent event) {
        for (CallEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Call event listener {} failed on {}", l, event.getClass().getSimpleName(), e);
            }
        }
    }

    // ---------------------------------------------------------------- call control API

    @Override
    public Collection<Call> calls() {
        List<Call> list = new ArrayList<>(calls.values());
        list.sort(Comparator.comparing(Call::startedAt).thenComparing(Call::id));
        return list;
    }

    @Override
    public Optional<Call> call(String callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    @Override
    public Optional<Channel> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    private ChannelImpl own(Channel channel) {
        if (channel instanceof ChannelImpl c && c.engine() == this) {
            return c;
        }
        throw new CallControlException("channel " + (channel == null ? "null" : channel.id())
                + " does not belong to this call engine");
    }

    /** Runs {@code work} on the leg's call executor; the future fails with the exception it throws. */
    private <T> CompletableFuture<T> onCall(ChannelImpl ch, Consumer<CompletableFuture<T>> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        ch.call().executor().execute(() -> {
            try {
                work.accept(f);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public CompletionStage<Void> answer(Channel channel) {
        ChannelImpl ch = own(channel);
        return this.<Void>onCall(ch, f -> {
            switch (ch.state()) {
                case RINGING -> {
                    boolean first = ch.pendingAnswers.isEmpty();
                    ch.pendingAnswers.add(f);
                    if (first) {
                        ch.driver().answer();
                    }
                }
                case ANSWERED, BRIDGED -> f.complete(null);
                default -> throw new CallControlException(ch.id() + " is " + ch.state() + ", only a RINGING leg can be answered");
            }
        });
    }

    @Override
    public CompletionStage<Void> hangup(Channel channel, HangupCause cause) {
        ChannelImpl ch = own(channel);
        return this.<Void>onCall(ch, f -> {
            release(ch, cause);
            f.complete(null);
        });
    }

    @Override
    public CompletionStage<Void> hangup(Call call, HangupCause cause) {
        if (!(call instanceof CallImpl c) || c.engine() != this) {
            throw new CallControlException("call " + (call == null ? "null" : call.id()) + " does not belong to this call engine");
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        c.executor().execute(() -> {
            for (ChannelImpl ch : c.legs()) {
                release(ch, cause);
            }
            f.complete(null);
        });
        return f;
    }

    @Override
    public CompletionStage<Channel> originate(Call call, String lineId, String number, CallerId callerId) {
        if (!(call instanceof CallImpl c) || c.engine() != this) {
            throw new CallControlException("call " + (call == null ? "null" : call.id()) + " does not belong to this call engine");
        }
        CompletableFuture<Channel> f = new CompletableFuture<>();
        c.executor().execute(() -> {
            try {
                if (!c.legs().isEmpty() && c.ended()) {
                    throw new CallControlException("call " + c.id() + " has ended");
                }
                Line line = lines.get(lineId);
                if (line == null) {
                    throw new CallControlException("no line '" + lineId + "'; lines: " + String.join(", ", lines.keySet()));
                }
                ChannelImpl ch = new ChannelImpl(channelId(lineId), lineId, c, Direction.OUTBOUND, ChannelState.IDLE,
                        callerId == null ? CallerId.UNKNOWN : callerId, number);
                try {
                    ch.driver(line.dial(number, ch.callerId(), ch.signals()));
                } catch (LineUnavailableException e) {
                    throw new CallControlException(e.getMessage());
                }
                register(c, ch);
                emit(new CallEvent.ChannelAdded(c, ch));
                transition(ch, ChannelState.DIALING);
                f.complete(ch);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public CompletionStage<Channel> dial(String lineId, String number, CallerId callerId) {
        return originate(newCall(), lineId, number, callerId);
    }

    @Override
    public AutoCloseable listen(Channel channel, AudioSink sink) {
        ChannelImpl ch = own(channel);
        MediaLeg leg = ch.media();
        if (leg == null) {
            throw new CallControlException(ch.id() + " is " + ch.state() + "; only a leg with audio can be listened to");
        }
        leg.taps.incrementAndGet();
        stopRelay(leg, leg.peer);
        short[] silence = MediaFormat.newFrame();
        AutoCloseable task = clock.schedule(tick -> {
            if (ch.media() == leg) {
                short[] f = leg.lastHeard();
                sink.write(f != null ? f : silence, f != null);
            }
        });
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                task.close();
                leg.taps.decrementAndGet();
            }
        };
    }

    @Override
    public CompletionStage<Void> bridge(Channel a, Channel b, boolean endTogether) {
        return bridge(a, b, endTogether, endTogether);
    }

    @Override
    public CompletionStage<Void> bridgeKeepingCaller(Channel caller, Channel other) {
        return bridge(caller, other, true, false);
    }

    /** @param aEndsB whether a's hangup ends b; {@code bEndsA} the other way */
    private CompletionStage<Void> bridge(Channel a, Channel b, boolean aEndsB, boolean bEndsA) {
        ChannelImpl x = own(a);
        ChannelImpl y = own(b);
        if (x.call() != y.call()) {
            throw new CallControlException("cannot bridge " + x.id() + " and " + y.id() + ": they belong to calls "
                    + x.callId() + " and " + y.callId() + "; dial the second leg into the first call");
        }
        if (x == y) {
            throw new CallControlException("cannot bridge " + x.id() + " to itself");
        }
        return this.<Void>onCall(x, f -> {
            for (ChannelImpl ch : List.of(x, y)) {
                if (!ch.state().isUp()) {
                    throw new CallControlException(ch.id() + " is " + ch.state() + "; only answered legs can be bridged");
                }
            }
            for (ChannelImpl ch : List.of(x, y)) {
                ChannelImpl old = ch.peer();
                if (old != null && old != x && old != y) {
                    separate(ch, old);
                    transition(old, ChannelState.ANSWERED);
                }
            }
            x.peer(y);
            y.peer(x);
            x.endTogether = aEndsB;
            y.endTogether = bEndsA;
            x.media().peer = y.media();
            y.media().peer = x.media();
            transition(x, ChannelState.BRIDGED);
            transition(y, ChannelState.BRIDGED);
            emit(new CallEvent.Bridged(x.call(), x, y));
            startRelay(x, y);
            f.complete(null);
        });
    }

    @Override
    public CompletionStage<Void> unbridge(Channel channel) {
        ChannelImpl ch = own(channel);
        return this.<Void>onCall(ch, f -> {
            ChannelImpl peer = ch.peer();
            if (peer != null) {
                separate(ch, peer);
                transition(ch, ChannelState.ANSWERED);
                transition(peer, ChannelState.ANSWERED);
            }
            f.complete(null);
        });
    }

    @Override
    public Playback play(Channel channel, AudioSource source, boolean bargeIn) {
        ChannelImpl ch = own(channel);
        PlaybackImpl p = new PlaybackImpl(source, bargeIn, ch.call().executor());
        ch.call().executor().execute(() -> {
            MediaLeg leg = ch.media();
            if (ch.state() == ChannelState.HUNG_UP) {
                p.end(Playback.End.HANGUP);
            } else if (leg == null || !ch.state().isUp()) {
                p.end(Playback.End.STOPPED);
                LOG.warn("{}: play requested while {}; nothing played", ch.id(), ch.state());
            } else {
                ChannelImpl peer = ch.peer();
                stopRelay(leg, peer == null ? null : peer.media());
                p.startOn(leg);
                p.done().thenRun(() -> {
                    ChannelImpl now = ch.peer();
                    if (now != null && ch.state() == ChannelState.BRIDGED && leg.playback.get() == null) {
                        startRelay(ch, now);
                    }
                });
            }
        });
        return p;
    }

    @Override
    public CompletionStage<DigitResult> collectDigits(Channel channel, DigitRequest request) {
        ChannelImpl ch = own(channel);
        return this.<DigitResult>onCall(ch, f -> {
            if (ch.state() == ChannelState.HUNG_UP) {
                f.complete(new DigitResult("", DigitResult.End.HANGUP));
                return;
            }
            if (ch.collection != null) {
                ch.collection.finish(DigitResult.End.CANCELLED);
            }
            DigitCollection c = new DigitCollection(request);
            c.result.whenComplete((r, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(r);
                }
            });
            while (!ch.digits.isEmpty()) {
                if (c.offer(ch.digits.poll())) {
                    return;
                }
            }
            ch.collection = c;
            armDigitTimer(ch, c, c.hasDigits() ? request.interDigitTimeout() : request.firstDigitTimeout());
        });
    }

    private void armDigitTimer(ChannelImpl ch, DigitCollection c, Duration after) {
        if (c.timer != null) {
            c.timer.cancel(false);
        }
        c.timer = timers.schedule(() -> ch.call().executor().execute(() -> {
            if (ch.collection == c && !c.isDone()) {
                ch.collection = null;
                c.finish(DigitResult.End.TIMEOUT);
            }
        }), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void flushDigits(Channel channel) {
        ChannelImpl ch = own(channel);
        ch.call().executor().execute(ch.digits::clear);
    }

    @Override
    public CompletionStage<Void> sendDtmf(Channel channel, String keys) {
        ChannelImpl ch = own(channel);
        Dtmf.requireDigits(keys);
        return this.<Void>onCall(ch, f -> {
            if (!ch.state().isUp()) {
                throw new CallControlException(ch.id() + " is " + ch.state() + "; DTMF needs an answered leg");
            }
            try {
                ch.driver().sendDtmf(keys);
            } catch (UnsupportedOperationException e) {
                throw new CallControlException(ch.id() + ": " + e.getMessage());
            }
            f.complete(null);
        });
    }

    // ---------------------------------------------------------------- media clock

    @Override
    public AutoCloseable schedule(MediaTask task) {
        return clock.schedule(task);
    }

    @Override
    public String schedulingPriority() {
        return clock.schedulingPriority();
    }

    @Override
    public Stats stats() {
        return clock.stats();
    }

    @Override
    public long currentTick() {
        return clock.currentTick();
    }

    @Override
    public long startNanos() {
        return clock.startNanos();
    }
}
