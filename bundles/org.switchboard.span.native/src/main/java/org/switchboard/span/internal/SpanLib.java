package org.switchboard.span.internal;

import java.nio.ByteBuffer;

/**
 * The native span bridge (libsbspan.so, built from src/main/c by the Maven build and shipped
 * through Bundle-NativeCode). Handles are checked by the library on every call, so a closed or
 * made-up handle is refused (-1), never dereferenced. Every call on a span except {@link #wake}
 * belongs to that span's poll thread.
 */
final class SpanLib {

    /** Why the library could not be loaded, or null when it is there. */
    private static final String LOAD_ERROR = load();

    static final int IO_SIZE;
    static final int EV_SIZE;
    static final int MAXCH = 32;
    static final int FRAME = 160;
    static final int IO_RX = 0;
    static final int IO_TX = MAXCH * FRAME;
    static final int IO_RXFLAG = 2 * MAXCH * FRAME;
    static final int IO_TXFLAG = IO_RXFLAG + MAXCH;

    static {
        if (LOAD_ERROR == null) {
            IO_SIZE = layout(0);
            EV_SIZE = layout(1);
            if (layout(2) != MAXCH || layout(3) != FRAME) {
                throw new IllegalStateException("libsbspan.so does not match this bundle (channels/frame size)");
            }
        } else {
            IO_SIZE = IO_TXFLAG + MAXCH;
            EV_SIZE = 65536;
        }
    }

    private SpanLib() {
    }

    private static String load() {
        try {
            String path = System.getProperty("switchboard.span.library");
            if (path != null && !path.isBlank()) {
                System.load(java.nio.file.Path.of(path).toAbsolutePath().toString());
            } else {
                System.loadLibrary("sbspan");
            }
            return null;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return "native span library not loaded (" + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + "; built for linux/x86-64 with libpri): " + e.getMessage();
        }
    }

    /** Null when the library works here, else why not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    // cfg: node, switchtype, t1, alaw, bchans mask, dchan, dahdi span, 0
    static native long openSim(ByteBuffer io, ByteBuffer ev, long peer, int[] cfg, String name, byte[] err);

    static native long openDahdi(ByteBuffer io, ByteBuffer ev, int[] cfg, String name, byte[] err);

    static native boolean close(long h);

    /** @return bit 1: events written, bit 2: an audio tick ran; -1: bad handle */
    static native int poll(long h, int maxMs);

    static native int wake(long h);

    static native int dial(long h, int chan, String called, int calledPlan, String calling, int callingPlan, int pres,
                           String name);

    static native int answer(long h, int chan, int unused);

    static native int hangup(long h, int chan, int cause);

    static native int restart(long h, int chan, int unused);

    static native int simAlarm(long h, int alarm, int unused);

    static native int trace(long h, int on, int unused);

    /** Simulation: the next Q.931 message this end sends gets 1 an unknown IE, 2 an IE running past its end. */
    static native int simMangle(long h, int how, int unused);

    /** Runs one 20 ms audio exchange now, without waiting for the tick (benchmarks only). */
    static native int benchTick(long h, int unused, int unused2);

    /** out: alarms, dchan up, busy mask, ticks, late ticks, rx frames, tx frames, underruns, D frames in, out. */
    static native int stats(long h, long[] out);

    private static native int layout(int what);
}
