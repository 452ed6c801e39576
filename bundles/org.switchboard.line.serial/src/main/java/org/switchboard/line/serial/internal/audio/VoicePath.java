package org.switchboard.line.serial.internal.audio;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.line.serial.internal.at.Dle;
import org.switchboard.media.dsp.DtmfDetector;

/**
 * The audio of one call on a serial line, between the port's threads and the media clock.
 * <p>
 * Received bytes (from the AT port's reader in voice mode, or from a GSM module's audio port)
 * are decoded into a {@link SampleRing} that the clock reads a frame at a time. Frames the clock
 * writes are encoded (and DLE-shielded for voice modems) into a {@link ByteRing}; a writer thread
 * of the call drains it to the port, so the clock never waits for the port. Nothing allocates per
 * frame.
 */
public final class VoicePath implements MediaPort {

    /** Where the writer thread sends encoded audio. */
    @FunctionalInterface
    public interface Out {
        void write(byte[] buf, int off, int len) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(VoicePath.class);
    public static final int FRAME = 160;

    private final String name;
    private final VoiceFormat format;
    private final boolean shielded;
    private final SampleRing rx = new SampleRing(4096, 2 * FRAME);
    private final ByteRing tx = new ByteRing(16384);
    private final byte[] encoded = new byte[2 * FRAME];
    private final byte[] shieldBuf = new byte[4 * FRAME];
    private final DtmfDetector detector;
    private Thread writer;
    private volatile boolean running;
    private volatile boolean muted;
    private int halfSample = -1;
    private volatile long framesIn;
    private volatile long framesOut;
    private volatile long writeErrors;

    /**
     * @param shielded whether the bytes travel DLE-shielded (V.253 voice data) or raw (a PCM audio port)
     * @param detector in-band DTMF detection of what is heard, or null when the line reports keys itself
     */
    public VoicePath(String name, VoiceFormat format, boolean shielded, DtmfDetector detector) {
        this.name = name;
        this.format = format;
        this.shielded = shielded;
        this.detector = detector;
    }

    /** Starts the writer thread, which sends what the clock writes to {@code out}. */
    public synchronized void start(Out out) {
        if (running) {
            return;
        }
        running = true;
        writer = new Thread(() -> pump(out), "switchboard-serial-tx-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops the writer; what was not sent yet is dropped. Waits for the thread. */
    public void stop() {
        Thread w;
        synchronized (this) {
            running = false;
            w = writer;
            writer = null;
        }
        if (w != null && w != Thread.currentThread()) {
            LockSupport.unpark(w);
            try {
                w.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** While muted, frames from the clock are not sent (e.g. while the modem sends DTMF itself). */
    public void mute(boolean on) {
        muted = on;
    }

    private void pump(Out out) {
        byte[] chunk = new byte[1024];
        while (running) {
            int n = tx.take(chunk);
            if (n == 0) {
                LockSupport.parkNanos(this, 30_000_000L);
                continue;
            }
            try {
                out.write(chunk, 0, n);
            } catch (IOException e) {
                writeErrors++;
                if (writeErrors == 1) {
                    LOG.warn("{}: sending audio failed: {}", name, e.getMessage());
                }
                tx.clear();
            }
        }
    }

    /** Called by the port's reader thread with received (unshielded) voice bytes. */
    public void received(byte[] buf, int off, int len) {
        if (format.bytesPerSample() == 1) {
            for (int i = off; i < off + len; i++) {
                rx.put(format.decode8(buf[i]));
            }
            return;
        }
        for (int i = off; i < off + len; i++) {
            int b = buf[i] & 0xFF;
            if (halfSample < 0) {
                halfSample = b;
            } else {
                rx.put((short) (halfSample | b << 8));
                halfSample = -1;
            }
        }
    }

    @Override
    public boolean read(short[] frame) {
        if (!rx.take(frame)) {
            return false;
        }
        framesIn++;
        if (detector != null) {
            detector.process(frame);
        }
        return true;
    }

    @Override
    public void write(short[] frame) {
        if (!running || muted) {
            return;
        }
        int n = format.encode(frame, frame.length, encoded);
        if (shielded) {
            int m = Dle.shield(encoded, 0, n, shieldBuf, 0);
            tx.put(shieldBuf, m);
        } else {
            tx.put(encoded, n);
        }
        framesOut++;
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    public VoiceFormat format() {
        return format;
    }

    /** For line:info: frames each way, underruns, drops. */
    public String stats() {
        return framesIn + " frames heard (" + rx.underruns() + " short, " + rx.dropped() + " samples dropped), "
                + framesOut + " sent (" + tx.overflows() + " dropped, " + writeErrors + " write errors)";
    }

    public long underruns() {
        return rx.underruns();
    }

    public long framesIn() {
        return framesIn;
    }
}
