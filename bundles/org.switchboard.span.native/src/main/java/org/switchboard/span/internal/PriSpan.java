package org.switchboard.span.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.codec.G711;

/**
 * One span in the native bridge and the thread that runs it. The poll thread owns the native span:
 * it waits in the library for D-channel frames, libpri's timers and the 20 ms audio tick, turns the
 * library's events into {@link Listener} calls, and moves every busy channel's audio between the
 * library's shared area (one direct buffer, all channels at once) and the channel's {@link Leg}.
 * Other threads never call into the span: they {@link #submit} commands, which the poll thread runs
 * between two polls. Nothing on the audio path allocates.
 */
final class PriSpan {

    /** What the span reports; called on the poll thread, must not block. */
    interface Listener {
        void ring(int ts, int callingPlan, int callingPres, String calling, String called, String name);

        void proceeding(int ts);

        void alerting(int ts);

        void answered(int ts);

        void hungUp(int ts, int cause);

        void freed(int ts);

        default void refused(int ts, int cause, String why) {
        }

        default void restarted(int ts) {
        }

        default void statusChanged() {
        }
    }

    // event types of sbspan.h
    private static final int EV_DCHAN_UP = 1;
    private static final int EV_DCHAN_DOWN = 2;
    private static final int EV_RING = 3;
    private static final int EV_PROCEEDING = 4;
    private static final int EV_RINGING = 5;
    private static final int EV_ANSWER = 6;
    private static final int EV_HANGUP = 7;
    private static final int EV_FREED = 8;
    private static final int EV_RESTART = 9;
    private static final int EV_ALARM = 10;
    private static final int EV_TRACE = 11;
    private static final int EV_ERROR = 12;
    private static final int EV_REFUSED = 13;

    static final int ALARM_YELLOW = 1 << 2;
    static final int ALARM_RED = 1 << 3;
    static final int ALARM_BLUE = 1 << 4;
    static final int ALARM_LOS = 1 << 8;
    static final int ALARM_LFA = 1 << 9;

    private static final Logger LOG = LoggerFactory.getLogger(PriSpan.class);
    /** Decoded Q.931 while span:trace is on, on its own logger so it can be routed apart. */
    private static final Logger TRACE = LoggerFactory.getLogger("org.switchboard.span.trace");
    private static final long RETRY_NANOS = 10_000_000_000L;

    final SpanConfig config;
    private final Listener listener;
    /**
     * Areas of closed spans, kept for the next span that opens: a bundle restarted again and again
     * reuses them instead of leaving direct buffers for the collector to find.
     */
    private static final ConcurrentLinkedQueue<ByteBuffer[]> SPARE = new ConcurrentLinkedQueue<>();
    private ByteBuffer io;
    private ByteBuffer ev;
    private final Leg[] legs = new Leg[SpanLib.MAXCH];
    private final ConcurrentLinkedQueue<LongConsumer> commands = new ConcurrentLinkedQueue<>();
    private final byte[] law = new byte[SpanLib.FRAME];
    private final short[] pcm = new short[SpanLib.FRAME];
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private final Object lock = new Object();

    private volatile long handle;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile String openError = "not started";
    private volatile int alarms;
    private volatile boolean dchanUp;
    private volatile boolean tracing;
    private volatile Instant since = Instant.now();
    private volatile long errors;
    private long nextOpenNanos;
    private final PriSpan peer;

    /**
     * @param peer for a simulated span, the other end of the pair (already open), or null for the
     *             first end / a DAHDI span
     */
    PriSpan(SpanConfig config, PriSpan peer, Listener listener) {
        this.config = config;
        this.peer = peer;
        this.listener = listener;
    }

    /** Opens the span now; on failure the reason is the span's status and the poll thread retries. */
    String open() {
        String libError = SpanLib.loadError();
        if (libError != null) {
            return failed(libError);
        }
        byte[] err = new byte[256];
        ByteBuffer[] areas = SPARE.poll();
        if (areas == null) {
            areas = new ByteBuffer[] {ByteBuffer.allocateDirect(SpanLib.IO_SIZE).order(ByteOrder.nativeOrder()),
                ByteBuffer.allocateDirect(SpanLib.EV_SIZE).order(ByteOrder.nativeOrder())};
        }
        io = areas[0];
        ev = areas[1];
        long h = config.simulated()
                ? SpanLib.openSim(io, ev, peer == null ? 0 : peer.handle, config.nativeConfig(), config.id(), err)
                : SpanLib.openDahdi(io, ev, config.nativeConfig(), config.id(), err);
        if (h <= 0) {
            SPARE.add(areas);
            io = null;
            ev = null;
            int n = 0;
            while (n < err.length && err[n] != 0) {
                n++;
            }
            return failed(new String(err, 0, n, StandardCharsets.UTF_8));
        }
        handle = h;
        openError = null;
        note("opened (" + config.describe() + ")");
        return null;
    }

    private String failed(String why) {
        if (!why.equals(openError)) {
            openError = why;
            note("cannot open: " + why);
            LOG.warn("Span {}: {}", config.id(), why);
        }
        return why;
    }

    /** Starts the poll thread (which keeps trying to open a span that is not open). */
    void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            Thread t = new Thread(this::run, "switchboard-span-" + config.id());
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY - 1);   // an I/O thread of the media path, like the RTP readers
            thread = t;
            t.start();
        }
    }

    /** Stops the poll thread and closes the native span; calls on it are gone without signalling. */
    void close() {
        Thread t;
        synchronized (lock) {
            running = false;
            t = thread;
            thread = null;
        }
        long h = handle;
        if (h > 0) {
            SpanLib.wake(h);
        }
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (handle > 0 && SpanLib.close(handle)) {
                SPARE.add(new ByteBuffer[] {io, ev});   // the library let go of them
            }
        } catch (IllegalStateException e) {
            LOG.error("Span {}: its poll thread did not stop in 5 s; the native span stays open", config.id());
        }
        handle = 0;
        openError = "stopped";
    }

    /** Runs {@code command} with the native handle on the poll thread, soon. */
    void submit(LongConsumer command) {
        commands.add(command);
        long h = handle;
        if (h > 0) {
            SpanLib.wake(h);
        }
    }

    /** Poll thread: the channel's audio goes to and from {@code leg} from the next tick. */
    void attach(int ts, Leg leg) {
        legs[ts] = leg;
    }

    void detach(int ts, Leg leg) {
        if (legs[ts] == leg) {
            legs[ts] = null;
        }
    }

    private void run() {
        while (running) {
            if (handle <= 0) {
                long now = System.nanoTime();
                if (now - nextOpenNanos >= 0) {
                    nextOpenNanos = now + RETRY_NANOS;
                    if (open() == null) {
                        listener.statusChanged();
                        continue;
                    }
                }
                commands.clear();                 // nothing to run them on
                LockSupport.parkNanos(this, 500_000_000L);
                continue;
            }
            if (!runOnce(100)) {
                LOG.error("Span {}: the native span refused its handle; stopping", config.id());
                return;
            }
        }
    }

    /**
     * One turn of the poll thread: the queued commands, a wait of up to {@code maxMs} in the
     * library, the events, and the audio when a tick ran. False when the library refused the handle.
     * (Package-private for the benchmarks, which drive spans without their threads.)
     */
    boolean runOnce(int maxMs) {
        long h = handle;
        LongConsumer c;
        while ((c = commands.poll()) != null) {
            try {
                c.accept(h);
            } catch (RuntimeException e) {
                LOG.warn("Span {}: a command failed", config.id(), e);
            }
        }
        int rc = SpanLib.poll(h, maxMs);
        if (rc < 0) {
            return false;
        }
        if (ev.getInt(0) > 4) {
            try {
                dispatch();
            } catch (RuntimeException e) {
                LOG.warn("Span {}: handling an event failed", config.id(), e);
            }
            ev.putInt(0, 4);
        }
        if ((rc & 2) != 0) {
            moveAudio();
        }
        return true;
    }

    void moveAudio() {
        boolean alaw = config.alaw();
        for (int ts = 1; ts < SpanLib.MAXCH; ts++) {
            Leg leg = legs[ts];
            if (leg == null) {
                continue;
            }
            int frameAt = ts * SpanLib.FRAME;
            if (io.get(SpanLib.IO_RXFLAG + ts) != 0) {
                io.get(SpanLib.IO_RX + frameAt, law, 0, SpanLib.FRAME);
                if (alaw) {
                    G711.decodeAlaw(law, 0, pcm, 0, SpanLib.FRAME);
                } else {
                    G711.decodeUlaw(law, 0, pcm, 0, SpanLib.FRAME);
                }
                io.put(SpanLib.IO_RXFLAG + ts, (byte) 0);
                leg.heard(pcm);
            }
            if (leg.toSend(pcm)) {
                if (alaw) {
                    G711.encodeAlaw(pcm, 0, law, 0, SpanLib.FRAME);
                } else {
                    G711.encodeUlaw(pcm, 0, law, 0, SpanLib.FRAME);
                }
                io.put(SpanLib.IO_TX + frameAt, law, 0, SpanLib.FRAME);
                io.put(SpanLib.IO_TXFLAG + ts, (byte) 1);
            }
        }
    }

    private void dispatch() {
        int used = Math.min(ev.getInt(0), ev.capacity());
        int off = 4;
        String[] s = new String[3];
        while (off + 30 <= used) {
            int size = ev.getShort(off) & 0xFFFF;
            int type = ev.getShort(off + 2) & 0xFFFF;
            if (size < 30 || off + size > used) {
                LOG.error("Span {}: malformed event record at {} (size {}); rest dropped", config.id(), off, size);
                return;
            }
            int ts = ev.getInt(off + 4);
            int a = ev.getInt(off + 8);
            int b = ev.getInt(off + 12);
            int c = ev.getInt(off + 16);
            int p = off + 24;
            for (int i = 0; i < 3; i++) {
                int n = ev.getShort(p) & 0xFFFF;
                p += 2;
                if (p + n > off + size) {
                    n = Math.max(0, off + size - p);
                }
                if (n == 0) {
                    s[i] = "";
                } else {
                    byte[] bytes = new byte[n];
                    ev.get(p, bytes, 0, n);
                    s[i] = new String(bytes, StandardCharsets.ISO_8859_1);   // libpri's names may be Latin-1
                }
                p += n;
            }
            event(type, ts, a, b, c, s);
            off += size;
        }
    }

    private boolean channel(int ts) {
        return ts > 0 && ts < SpanLib.MAXCH && config.channels().contains(ts);
    }

    private void event(int type, int ts, int a, int b, int c, String[] s) {
        switch (type) {
            case EV_DCHAN_UP -> {
                dchanUp = true;
                note("D-channel up");
                listener.statusChanged();
            }
            case EV_DCHAN_DOWN -> {
                dchanUp = false;
                note("D-channel down");
                LOG.warn("Span {}: D-channel down", config.id());
                listener.statusChanged();
            }
            case EV_RING -> {
                if (channel(ts)) {
                    listener.ring(ts, a, b, s[0], s[1], s[2]);
                }
            }
            case EV_PROCEEDING -> {
                if (channel(ts)) {
                    listener.proceeding(ts);
                }
            }
            case EV_RINGING -> {
                if (channel(ts)) {
                    listener.alerting(ts);
                }
            }
            case EV_ANSWER -> {
                if (channel(ts)) {
                    listener.answered(ts);
                }
            }
            case EV_HANGUP -> {
                if (channel(ts)) {
                    listener.hungUp(ts, a >= 1 && a <= 127 ? a : 16);
                }
            }
            case EV_FREED -> {
                if (channel(ts)) {
                    legs[ts] = null;
                    listener.freed(ts);
                }
            }
            case EV_RESTART -> {
                note("far end restarted " + (ts < 0 ? "every channel" : "channel " + ts));
                listener.restarted(ts);
            }
            case EV_ALARM -> {
                alarms = a;
                String what = alarmText(a);
                note(a == 0 ? "alarm cleared" : "alarm " + what);
                if (a == 0) {
                    LOG.info("Span {}: alarm cleared", config.id());
                } else {
                    LOG.warn("Span {}: alarm {}", config.id(), what);
                }
                listener.statusChanged();
            }
            case EV_TRACE -> TRACE.info("{}: {}", config.id(), s[0]);
            case EV_ERROR -> {
                errors++;
                if (tracing || errors <= 20 || errors % 1000 == 0) {
                    LOG.warn("Span {}: {} ({} protocol complaints so far)", config.id(), s[0], errors);
                }
            }
            case EV_REFUSED -> {
                note("refused a call on channel " + ts + ": " + s[0] + " (cause " + a + ")");
                LOG.info("Span {}: refused a call on channel {}: {} (cause {})", config.id(), ts, s[0], a);
                listener.refused(ts, a, s[0]);
            }
            default -> LOG.debug("Span {}: unknown event {}", config.id(), type);
        }
    }

    /** "RED (LOS: loss of signal)", "BLUE (AIS)", "YELLOW (RAI: remote alarm)". */
    static String alarmText(int a) {
        if (a == 0) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        if ((a & ALARM_RED) != 0) {
            out.add((a & ALARM_LOS) != 0 ? "RED (LOS: loss of signal)"
                    : (a & ALARM_LFA) != 0 ? "RED (LOF: loss of frame alignment)" : "RED");
        }
        if ((a & ALARM_BLUE) != 0) {
            out.add("BLUE (AIS: all ones from the far end)");
        }
        if ((a & ALARM_YELLOW) != 0) {
            out.add("YELLOW (RAI: the far end lost our signal)");
        }
        if (out.isEmpty()) {
            out.add("0x" + Integer.toHexString(a));
        }
        return String.join(", ", out);
    }

    private void note(String what) {
        since = Instant.now();
        synchronized (history) {
            history.addLast(since + " " + what);
            while (history.size() > 20) {
                history.removeFirst();
            }
        }
    }

    /** The last status changes, oldest first. */
    List<String> history() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    void trace(boolean on) {
        tracing = on;
        submit(h -> SpanLib.trace(h, on ? 1 : 0, 0));
    }

    boolean tracing() {
        return tracing;
    }

    /** Null when open, else why it is not. */
    String openError() {
        return openError;
    }

    int alarms() {
        return alarms;
    }

    boolean dchanUp() {
        return dchanUp;
    }

    Instant since() {
        return since;
    }

    long protocolErrors() {
        return errors;
    }

    boolean isOpen() {
        return handle > 0;
    }

    /**
     * alarms, dchan up, busy mask, ticks, late ticks, rx frames, tx frames, underruns, D frames in,
     * out; zeros when closed. Reads counters the poll thread writes (a moment's skew is harmless).
     */
    long[] stats() {
        long h = handle;
        long[] out = new long[10];
        if (h > 0) {
            SpanLib.stats(h, out);
        }
        return out;
    }

    long handle() {
        return handle;
    }
}
