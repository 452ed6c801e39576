package org.switchboard.line.serial.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.switchboard.core.spi.MediaPort;

/** Plays the media clock for one port: every 20 ms writes a 400 Hz tone and reads a frame. */
final class FakeClock implements AutoCloseable {

    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    private final short[] out = new short[160];
    private final short[] in = new short[160];
    private long n;
    volatile long framesRead;
    volatile int peakRead;

    FakeClock(MediaPort port) {
        exec.scheduleAtFixedRate(() -> {
            for (int i = 0; i < 160; i++) {
                out[i] = (short) (6000 * Math.sin(2 * Math.PI * 400 * n++ / 8000.0));
            }
            port.write(out);
            if (port.read(in)) {
                framesRead++;
                int p = 0;
                for (short s : in) {
                    p = Math.max(p, Math.abs(s));
                }
                peakRead = p;
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
