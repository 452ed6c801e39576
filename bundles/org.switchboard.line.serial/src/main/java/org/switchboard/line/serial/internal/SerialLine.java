package org.switchboard.line.serial.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.switchboard.core.api.CallerId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.hw.api.UnitSpec;
import org.switchboard.line.serial.internal.at.AtEngine;
import org.switchboard.line.serial.internal.at.AtException;
import org.switchboard.line.serial.internal.at.AtResponse;
import org.switchboard.line.serial.internal.at.SerialIo;

/**
 * What every AT-driven line shares: opening its port (again and again, while it is missing),
 * initialising the device, watching its health, recovering after a timeout or garbage, and the
 * technician's raw commands and trace.
 * <p>
 * All control work of a line runs on its own control thread, one task at a time, and may wait for
 * the device there; nothing else waits. The port's reader thread only parses and hands over.
 */
public abstract class SerialLine implements Line, AtEngine.Listener {

    /** Opens a port by its profile path (the driver maps the lab's "sim" ports to simulated devices). */
    @FunctionalInterface
    public interface PortOpener {
        SerialIo open(String path, int baud, String flowControl) throws IOException;
    }

    protected static final Logger LOG = LoggerFactory.getLogger(SerialLine.class);
    /** How often a missing or failed port is tried again. */
    static final long RETRY_MS = 2000;
    /** This many problems (noise, unexpected responses) between two health checks re-initialise an idle device. */
    static final int GARBAGE_REINIT = 20;
    /** Timeout of ordinary commands. */
    static final long COMMAND_MS = 3000;

    protected final String id;
    private volatile String cardId;
    protected volatile UnitSpec spec;
    protected final ChannelPublisher publisher;
    protected final ScheduledExecutorService timer;
    private final PortOpener opener;
    private final ThreadPoolExecutor control;
    private final Thread[] controlThread = new Thread[1];

    protected volatile AtEngine at;
    private volatile LineHealth health = LineHealth.OFFLINE;
    private volatile String reason = "starting";
    private volatile String lastError = "";
    private volatile Instant since = Instant.now();
    protected volatile int signalPercent = -1;
    private volatile boolean stopped;
    private volatile String devicePath = "";
    private volatile boolean tracing;
    private volatile ScheduledFuture<?> retry;
    private volatile ScheduledFuture<?> poll;
    private volatile int generation;
    protected final Map<String, String> facts = new LinkedHashMap<>();
    private final AtomicLong problems = new AtomicLong();
    private volatile long problemsAtPoll;
    private volatile String lastProblem = "";
    private volatile boolean problemLogged;
    protected final AtomicLong calls = new AtomicLong();
    /** The call on the line, if any; set by whoever claims the line first (a RING, a dial). */
    protected final AtomicReference<LineCall> call = new AtomicReference<>();
    /** Control thread: the periodic check of the call (a caller who gives up, progress while dialling). */
    private ScheduledFuture<?> watch;
    private long lastRing;
    protected int rings;
    protected volatile long ringToPublishNanos = -1;
    protected volatile long ringArrivedNanos;
    private final AtomicLong reinits = new AtomicLong();

    protected SerialLine(UnitSpec spec, String cardId, ChannelPublisher publisher, ScheduledExecutorService timer,
                         PortOpener opener) {
        this.id = spec.id();
        this.spec = spec;
        this.cardId = cardId;
        this.publisher = publisher;
        this.timer = timer;
        this.opener = opener;
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "switchboard-serial-" + spec.id());
            t.setDaemon(true);
            controlThread[0] = t;
            return t;
        });
    }

    // ---------------------------------------------------------------- Line

    @Override
    public String id() {
        return id;
    }

    @Override
    public String cardId() {
        return cardId;
    }

    @Override
    public String number() {
        return spec.get("number");
    }

    @Override
    public LineStatus status() {
        int s = signalPercent;
        return new LineStatus(health, reason, s < 0 ? OptionalInt.empty() : OptionalInt.of(s), lastError, since);
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        String path = devicePath;
        d.put("Port", spec.get("port").equals("sim")
                ? "sim: a simulated device behind " + (path.isEmpty() ? "(not started)" : path) + " (socat pseudo-terminal pair)"
                : spec.get("port") + " at " + spec.get("baud") + " baud, flow control " + spec.get("flow-control"));
        synchronized (facts) {
            d.putAll(facts);
        }
        AtEngine a = at;
        if (a != null) {
            d.put("Port counters", a.bytesIn() + " bytes in, " + a.noiseBytes() + " noise bytes, " + a.unexpectedLines()
                    + " unexpected responses, " + a.timeouts() + " timeouts");
        }
        d.put("Calls", calls.get() + " since start; " + reinits.get() + " re-initialisations");
        d.put("Trace", tracing ? "on (logger " + AtEngine.TRACE.getName() + ")" : "off");
        moreDetails(d);
        return d;
    }

    /** Subclasses add what they know (state of the call, audio). */
    protected void moreDetails(Map<String, String> d) {
    }

    // ---------------------------------------------------------------- life cycle

    /** Starts bringing the line up, in the background. */
    public void start() {
        onControl(this::connect);
    }

    /** The profile changed this line's settings: port settings apply at the next (re)connection. */
    public void update(UnitSpec newSpec, String newCardId) {
        boolean portChanged = !newSpec.get("port").equals(spec.get("port")) || !newSpec.get("baud").equals(spec.get("baud"))
                || !newSpec.get("flow-control").equals(spec.get("flow-control")) || !newSpec.get("init").equals(spec.get("init"));
        this.spec = newSpec;
        this.cardId = newCardId;
        if (portChanged) {
            onControl(() -> {
                if (!busy()) {
                    reconnect("port settings changed in the hardware profile");
                }
            });
        }
    }

    /** Stops the line: a call is ended with {@code cause}, the port closed. Waits for it. */
    public void stop(HangupCause cause) {
        stopped = true;
        onControl(() -> {
            endCall(cause, "line stopped");
            closePort();
            setHealth(LineHealth.OFFLINE, "stopped");
        });
        control.shutdown();
        try {
            if (!control.awaitTermination(10, TimeUnit.SECONDS)) {
                control.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cancel(retry);
        cancel(poll);
    }

    /** Runs on the line's control thread. */
    protected final void onControl(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: control task failed", id, e);
                    lastError = e.toString();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped: nothing more to do
        }
    }

    protected final boolean onControlThread() {
        return Thread.currentThread() == controlThread[0];
    }

    private void connect() {
        if (stopped || at != null) {
            return;
        }
        String path = spec.get("port");
        if (path.startsWith("/") && !Files.exists(Path.of(path))) {
            setHealth(LineHealth.OFFLINE, "port " + path + " missing");
            retryLater(RETRY_MS);
            return;
        }
        SerialIo io;
        try {
            io = opener.open(path, Integer.parseInt(spec.get("baud")), spec.get("flow-control"));
        } catch (IOException e) {
            setHealth(LineHealth.OFFLINE, e.getMessage());
            retryLater(RETRY_MS);
            return;
        }
        devicePath = io.path();
        AtEngine engine = new AtEngine(id, io, this);
        engine.trace(tracing);
        at = engine;
        generation++;
        engine.start();
        setHealth(LineHealth.OFFLINE, "initialising on " + path);
        try {
            String problem = initialise(engine);
            problemsAtPoll = problems.get();
            if (problem != null) {
                LOG.warn("{}: {}", id, problem);
                closePort();
                setHealth(LineHealth.OFFLINE, problem);
                retryLater(30_000);
                return;
            }
            afterInit();
            LOG.info("{}: {} on {}", id, health == LineHealth.ONLINE ? "online" : health + " (" + reason + ")", path);
        } catch (AtException e) {
            closePort();
            setHealth(LineHealth.OFFLINE, "initialisation failed: " + e.getMessage());
            LOG.warn("{}: initialisation failed: {}; trying again in {} s", id, e.getMessage(), RETRY_MS / 1000);
            retryLater(RETRY_MS);
            return;
        }
        int gen = generation;
        cancel(poll);
        poll = timer.scheduleWithFixedDelay(() -> onControl(() -> {
            if (gen == generation && at != null) {
                pollHealth();
            }
        }), pollInterval(), pollInterval(), TimeUnit.SECONDS);
    }

    /** Seconds between health polls. */
    protected int pollSeconds() {
        return 30;
    }

    private volatile int pollOverride;

    /** Tests: polls this often instead (call before {@link #start}). */
    void pollEvery(int seconds) {
        pollOverride = seconds;
    }

    private int pollInterval() {
        return pollOverride > 0 ? pollOverride : pollSeconds();
    }

    private void pollHealth() {
        long since = problems.get() - problemsAtPoll;
        if (since >= GARBAGE_REINIT && !busy()) {
            problemsAtPoll = problems.get();
            reconnect(since + " unreadable responses since the last check (" + lastProblem + ")");
            return;
        }
        try {
            checkHealth(at);
            long p = problems.get();
            if (p == problemsAtPoll && health == LineHealth.DEGRADED && reason.equals(lastProblem)) {
                setHealth(LineHealth.ONLINE, "");
            }
            problemsAtPoll = p;
        } catch (AtException e) {
            if (!busy()) {
                reconnect(e.getMessage());
            }
        }
    }

    /** Closes the port and initialises the device again (after a timeout, garbage or a settings change). */
    protected final void reconnect(String why) {
        LOG.warn("{}: re-initialising: {}", id, why);
        lastError = why;
        reinits.incrementAndGet();
        endCall(HangupCause.RECOVERY_ON_TIMER_EXPIRE, why);
        closePort();
        setHealth(LineHealth.OFFLINE, "re-initialising: " + why);
        connect();
    }

    private void retryLater(long ms) {
        if (stopped) {
            return;
        }
        cancel(retry);
        retry = timer.schedule(() -> onControl(this::connect), ms, TimeUnit.MILLISECONDS);
    }

    private void closePort() {
        AtEngine a = at;
        at = null;
        generation++;
        cancel(poll);
        if (a != null) {
            a.close();
        }
        portClosed();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    protected final void setHealth(LineHealth h, String why) {
        if (h != health || !why.equals(reason)) {
            since = Instant.now();
        }
        health = h;
        reason = why;
        if (h != LineHealth.ONLINE && !why.isEmpty() && !why.startsWith("initialising")) {
            lastError = why;
        }
        if (h == LineHealth.ONLINE) {
            problemLogged = false;
        }
    }

    protected final LineHealth health() {
        return health;
    }

    // ---------------------------------------------------------------- reader thread callbacks

    @Override
    public final void portGone(String why) {
        onControl(() -> {
            LOG.warn("{}: {}; the line is offline until it comes back", id, why);
            endCall(HangupCause.NETWORK_OUT_OF_ORDER, why);
            closePort();
            setHealth(LineHealth.OFFLINE, why);
            retryLater(RETRY_MS);
        });
    }

    @Override
    public final void problem(String what) {
        long n = problems.incrementAndGet();
        lastProblem = what + " (" + n + " problems)";
        lastError = what;
        if (health == LineHealth.ONLINE || health == LineHealth.DEGRADED) {
            health = LineHealth.DEGRADED;
            reason = lastProblem;
        }
        if (!problemLogged) {
            problemLogged = true;
            LOG.warn("{}: {}; further problems are counted in line:info until the line is healthy again", id, what);
        }
    }

    @Override
    public void unsolicited(String line) {
        onControl(() -> onUnsolicited(line));
    }

    public long problems() {
        return problems.get();
    }

    // ---------------------------------------------------------------- technician

    /** {@code line:at}: a raw command, refused while a call is up. */
    public CompletableFuture<AtResponse> raw(String command) {
        CompletableFuture<AtResponse> f = new CompletableFuture<>();
        onControl(() -> {
            try {
                if (busy()) {
                    throw new IllegalStateException("line " + id + " carries a call; raw AT commands are refused until it ends");
                }
                AtEngine a = at;
                if (a == null) {
                    throw new IllegalStateException("line " + id + " is " + health + ": " + reason);
                }
                f.complete(a.command(command, 10_000));
            } catch (AtException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** {@code line:trace}: logs the AT dialogue of this line. */
    public void trace(boolean on) {
        tracing = on;
        AtEngine a = at;
        if (a != null) {
            a.trace(on);
        }
    }

    public boolean tracing() {
        return tracing;
    }

    // ---------------------------------------------------------------- for subclasses

    /**
     * Brings a freshly opened device up and sets the health.
     *
     * @return null when the line can work, else why it cannot (not a voice modem, no SIM ...)
     */
    protected abstract String initialise(AtEngine engine) throws AtException;

    /** Runs after a successful initialisation; default nothing. */
    protected void afterInit() {
    }

    /** The periodic check; throws when the device stopped answering. */
    protected abstract void checkHealth(AtEngine engine) throws AtException;

    /** An unsolicited result code, on the control thread. */
    protected abstract void onUnsolicited(String line);

    /** The port is closed (unplugged, re-initialising): drop what belonged to it. */
    protected void portClosed() {
    }

    public final boolean busy() {
        return call.get() != null;
    }

    // ---------------------------------------------------------------- calls, on the control thread

    /** Milliseconds after the last RING at which a caller nobody answered counts as gone. */
    static final long RING_GONE_MS = 8000;

    /** Takes a ringing call off hook; signals answered when audio flows. */
    protected abstract void answerCall(LineCall c);

    /** Sends keys to the far end of a call that is talking. */
    protected abstract void sendKeys(LineCall c, String keys);

    /** Puts the device back on hook after the call's audio has stopped; the port may be gone. */
    protected abstract void hangUpDevice(LineCall c);

    /** What the device needs after the far end ended a call; default nothing (it is idle already). */
    protected void afterFarEnd(LineCall c) {
    }

    /** Stops what the call holds on this side (its audio); the device is not asked anything. */
    protected void stopLocal(LineCall c) {
        c.voice.stop();
    }

    /**
     * A RING: a new call is published to the core (caller ID as known now), or a ringing call
     * counts one more ring. A call nobody answers ends {@link #RING_GONE_MS} after its last ring.
     *
     * @param fresh makes the call when there is none yet (not called otherwise)
     */
    protected final void ring(Supplier<LineCall> fresh, CallerId callerId) {
        long now = System.currentTimeMillis();
        lastRing = now;
        LineCall c = call.get();
        if (c != null) {
            if (c.state == LineCall.State.RINGING) {
                rings++;
            }
            return;
        }
        if (health == LineHealth.OFFLINE) {
            return;
        }
        LineCall rc = fresh.get();
        if (rc == null || !call.compareAndSet(null, rc)) {
            return;
        }
        rings = 1;
        calls.incrementAndGet();
        rc.signals = publisher.inbound(id, callerId, number(), rc);
        ringToPublishNanos = System.nanoTime() - ringArrivedNanos;
        LOG.info("{}: call from {} rings (channel {})", id, callerId.display(), rc.signals.channelId());
        watch(() -> {
            if (call.get() == rc && rc.state == LineCall.State.RINGING && System.currentTimeMillis() - lastRing > RING_GONE_MS) {
                farEndHangup(rc, HangupCause.NORMAL_CLEARING, "the caller gave up after " + rings + " rings");
            }
        }, 1000);
    }

    /** Runs {@code check} on the control thread every {@code ms} until the call ends (one watch at a time). */
    protected final void watch(Runnable check, long ms) {
        cancelWatch();
        watch = timer.scheduleWithFixedDelay(() -> onControl(check), ms, ms, TimeUnit.MILLISECONDS);
    }

    protected final void cancelWatch() {
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
    }

    private void stopCall(LineCall c) {
        cancelWatch();
        stopLocal(c);
    }

    /** The box hangs up (the core asked): no signal back. */
    final void boxHangup(LineCall c, HangupCause cause) {
        if (!call.compareAndSet(c, null)) {
            return;
        }
        LOG.info("{}: the box hangs up ({})", id, cause);
        stopCall(c);
        hangUpDevice(c);
    }

    /** The far end ended the call (or it never came about): the core is told {@code cause}. */
    protected final void farEndHangup(LineCall c, HangupCause cause, String why) {
        if (c == null || !call.compareAndSet(c, null)) {
            return;
        }
        LOG.info("{}: the far end ended the call: {} ({})", id, why, cause);
        stopCall(c);
        afterFarEnd(c);
        c.signals.hungUp(cause);
    }

    /** A failure of ours while setting up or talking: the device back on hook, the core told. */
    protected final void failCall(LineCall c, HangupCause cause, String why) {
        if (!call.compareAndSet(c, null)) {
            return;
        }
        LOG.warn("{}: call failed: {}", id, why);
        stopCall(c);
        hangUpDevice(c);
        c.signals.hungUp(cause);
    }

    /** Ends the call on this line, if any, without asking the device (the port may be gone), telling the core {@code cause}. */
    protected final void endCall(HangupCause cause, String why) {
        LineCall c = call.getAndSet(null);
        if (c == null) {
            return;
        }
        LOG.info("{}: call ended: {} ({})", id, why, cause);
        stopCall(c);
        c.signals.hungUp(cause);
    }

    /** The last RING to the call being published, for line:info and the benchmark; -1 before any. */
    long ringToPublishNanos() {
        return ringToPublishNanos;
    }

    /** For tests and benchmarks: the audio of the call in progress, or null. */
    org.switchboard.line.serial.internal.audio.VoicePath voiceOfCall() {
        LineCall c = call.get();
        return c == null ? null : c.voice;
    }

    /** Runs a command and returns its response, insisting on OK. */
    protected static AtResponse expectOk(AtEngine engine, String command, String purpose) throws AtException {
        AtResponse r = engine.command(command, COMMAND_MS);
        if (!r.ok()) {
            throw new AtException(purpose + ": " + r.describe(), false);
        }
        return r;
    }

    /** The extra initialisation commands of the profile's {@code init} key, one by one. */
    protected String runProfileInit(AtEngine engine) throws AtException {
        String init = spec.get("init");
        if (init.isBlank()) {
            return null;
        }
        for (String cmd : init.split(";")) {
            String c = cmd.trim();
            if (c.isEmpty()) {
                continue;
            }
            if (!c.toUpperCase(java.util.Locale.ROOT).startsWith("AT")) {
                c = "AT" + c;
            }
            AtResponse r = engine.command(c, COMMAND_MS);
            if (!r.ok()) {
                return "the profile's init command " + c + " (key 'init' of line " + id + ") failed: " + r.result();
            }
        }
        return null;
    }

    protected final void fact(String key, String value) {
        synchronized (facts) {
            facts.put(key, value);
        }
    }
}
