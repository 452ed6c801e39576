package org.switchboard.line.serial.internal.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.line.serial.internal.at.JSerialCommIo;
import org.switchboard.line.serial.internal.at.SerialIo;
import org.switchboard.line.serial.internal.audio.VoiceFormat;

/**
 * The far side of a serial line for tests and the lab: a device speaking AT commands on a
 * pseudo-terminal, with a far-end caller who talks (a 1 kHz tone, 20 ms at a time on the
 * device's own clock) and listens (counting what the box sends and when it ran short).
 * Subclasses implement the command set of a V.253 modem or a 27.007 module.
 */
public abstract class SimulatedDevice implements AutoCloseable {

    protected static final Logger LOG = LoggerFactory.getLogger(SimulatedDevice.class);
    static final int FRAME = 160;

    protected final String name;
    private final Path port;
    protected final ScheduledExecutorService clock;
    private volatile SerialIo io;
    private volatile boolean running = true;
    private final Thread reader;
    private final StringBuilder cmd = new StringBuilder();
    protected volatile boolean echo = true;
    /** When set the device answers nothing (a hung modem). */
    public volatile boolean deaf;

    private ScheduledFuture<?> talk;
    private final short[] tone = new short[FRAME];
    private long toneSample;
    private final byte[] toneBytes = new byte[2 * FRAME];
    // what the box sent, consumed 20 ms at a time by the "listener"
    private final byte[] heard = new byte[64 * 1024];
    private int heardLen;
    private boolean listening;
    protected volatile long framesHeard;
    protected volatile long underruns;
    protected volatile long bytesHeard;
    protected volatile int peakHeard;
    protected volatile long framesSpoken;

    protected SimulatedDevice(String name, Path port) {
        this.name = name;
        this.port = port;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-sim-" + name);
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::readLoop, "switchboard-sim-rx-" + name);
        this.reader.setDaemon(true);
    }

    public SimulatedDevice start() {
        reader.start();
        return this;
    }

    /** Waits for its port (it may be "unplugged"), reads commands, reopens after the port vanished. */
    private void readLoop() {
        byte[] buf = new byte[4096];
        while (running) {
            SerialIo p = io;
            if (p == null) {
                if (!Files.exists(port)) {
                    pause(50);
                    continue;
                }
                try {
                    p = JSerialCommIo.open(port.toString(), 115200, "none");
                    io = p;
                    onPlugged();
                } catch (IOException e) {
                    pause(100);
                    continue;
                }
            }
            int n = p.read(buf, 0, buf.length);
            if (n < 0) {
                io = null;
                p.close();
                synchronized (this) {
                    stopTalking();
                    onUnplugged();
                }
                continue;
            }
            for (int i = 0; i < n; i++) {
                synchronized (this) {
                    i = consume(buf, i, n);
                }
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // waiting for a device file that has no change event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes bytes from {@code buf[i]} on; returns the index of the last byte it consumed. Command
     * mode by default: a line ended by CR is a command.
     */
    protected int consume(byte[] buf, int i, int n) {
        byte b = buf[i];
        if (b == '\r') {
            String c = cmd.toString().trim();
            cmd.setLength(0);
            if (echo) {
                send(c + "\r");
            }
            if (!c.isEmpty() && !deaf) {
                command(c);
            } else if (c.isEmpty()) {
                emptyLine();
            }
        } else if (b != '\n' && cmd.length() < 1024) {
            cmd.append((char) (b & 0xFF));
        }
        return i;
    }

    /** One command line, on the reader thread, holding the device's lock. */
    protected abstract void command(String c);

    /** A bare CR: V.250 devices abort a command in progress (dialling) on any character. */
    protected void emptyLine() {
    }

    protected void onPlugged() {
    }

    protected void onUnplugged() {
    }

    /** Sends text as is. */
    protected final void send(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        sendBytes(b, b.length);
    }

    /** Sends a result code as V.250 frames it: CR LF text CR LF. */
    protected final void result(String s) {
        send("\r\n" + s + "\r\n");
    }

    protected final void sendBytes(byte[] b, int n) {
        SerialIo p = io;
        if (p == null) {
            return;
        }
        try {
            p.write(b, 0, n);
        } catch (IOException e) {
            LOG.debug("{}: write failed: {}", name, e.getMessage());
        }
    }

    /** Writes bytes nobody asked for (line noise) to the box. */
    public void noise(byte[] garbage) {
        sendBytes(garbage, garbage.length);
    }

    public boolean plugged() {
        return io != null;
    }

    // ---------------------------------------------------------------- the far-end caller's audio

    /** Starts talking (a 1 kHz tone at -10 dBm0-ish) and listening, 20 ms at a time. */
    protected final synchronized void startTalking() {
        if (talk != null) {
            return;
        }
        heardLen = 0;
        listening = false;
        talk = clock.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
    }

    protected final synchronized void stopTalking() {
        if (talk != null) {
            talk.cancel(false);
            talk = null;
        }
    }

    private void tick() {
        VoiceFormat f;
        synchronized (this) {
            if (talk == null) {
                return;
            }
            f = format();
            for (int i = 0; i < FRAME; i++) {
                tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * toneSample++ / 8000.0));
            }
            // listen: one frame of what the box sent
            int need = FRAME * f.bytesPerSample();
            if (!listening && heardLen >= 3 * need) {
                listening = true; // a 60 ms playout buffer, as a modem's transmit buffer has
            }
            if (listening && heardLen >= need) {
                int peak = 0;
                for (int i = 0; i < FRAME; i++) {
                    int s = f.bytesPerSample() == 1 ? f.decode8(heard[i]) : (short) ((heard[2 * i] & 0xFF) | heard[2 * i + 1] << 8);
                    peak = Math.max(peak, Math.abs(s));
                }
                peakHeard = peak;
                System.arraycopy(heard, need, heard, 0, heardLen - need);
                heardLen -= need;
                framesHeard++;
            } else if (listening) {
                underruns++;
            }
        }
        int n = f.encode(tone, FRAME, toneBytes);
        speak(toneBytes, n);
        framesSpoken++;
    }

    /** Sends encoded far-end audio the way the device does (shielded on a modem, raw on a PCM port). */
    protected abstract void speak(byte[] encoded, int n);

    /** The sample format on the wire. */
    protected abstract VoiceFormat format();

    /** Called with audio bytes the box sent (unshielded). */
    protected final synchronized void heard(byte[] b, int off, int n) {
        bytesHeard += n;
        int room = heard.length - heardLen;
        int m = Math.min(room, n);
        System.arraycopy(b, off, heard, heardLen, m);
        heardLen += m;
    }

    public long framesHeard() {
        return framesHeard;
    }

    /** 20 ms ticks, after audio from the box had started, when less than a frame had arrived. */
    public long underruns() {
        return underruns;
    }

    public int peakHeard() {
        return peakHeard;
    }

    public long bytesHeard() {
        return bytesHeard;
    }

    @Override
    public void close() {
        running = false;
        stopTalking();
        clock.shutdownNow();
        SerialIo p = io;
        io = null;
        if (p != null) {
            p.close();
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
