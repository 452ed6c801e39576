package org.switchboard.line.serial.internal.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two pseudo-terminals wired back to back by socat, reached through two symbolic links: the box
 * opens one as its serial port, a simulated device speaks on the other. Stopping socat makes both
 * ends vanish, exactly like a USB serial adapter being pulled; starting it again with the same
 * links plugs it back.
 */
public final class PtyPair implements AutoCloseable {

    private final Path boxSide;
    private final Path deviceSide;
    private Process socat;

    public PtyPair(Path boxSide, Path deviceSide) {
        this.boxSide = boxSide;
        this.deviceSide = deviceSide;
    }

    /** Starts socat and waits until both links exist. */
    public synchronized PtyPair start() throws IOException {
        if (socat != null && socat.isAlive()) {
            return this;
        }
        Files.createDirectories(boxSide.getParent());
        Files.createDirectories(deviceSide.getParent());
        Files.deleteIfExists(boxSide);
        Files.deleteIfExists(deviceSide);
        try {
            // socat runs under a shell that waits on a pipe from this JVM: when the pipe closes
            // (stop(), or the JVM dies however it dies) the shell stops socat, so no socat outlives the box
            String cmd = "command -v socat >/dev/null || exit 127; socat \"$1\" \"$2\" & s=$!; "
                    + "trap 'kill $s 2>/dev/null; exit 0' TERM; while read -r _; do :; done; kill $s 2>/dev/null; wait $s";
            socat = new ProcessBuilder(List.of("sh", "-c", cmd, "sh", "pty,raw,echo=0,link=" + boxSide, "pty,raw,echo=0,link=" + deviceSide))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("cannot start socat for a simulated serial device (Debian package socat): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(boxSide) && Files.exists(deviceSide))) {
            if (!socat.isAlive()) {
                throw new IOException(socat.exitValue() == 127 ? "socat is not installed (Debian package socat)"
                        : "socat exited with status " + socat.exitValue() + " making " + boxSide);
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IOException("socat did not make " + boxSide + " and " + deviceSide + " within 5 s");
            }
            try {
                Thread.sleep(10); // polling for a file socat creates; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return this;
    }

    /** Stops socat: both ends vanish (the adapter is "pulled"). */
    public synchronized void stop() {
        if (socat != null) {
            try {
                socat.getOutputStream().close(); // the shell stops socat and exits
            } catch (IOException e) {
                socat.destroy();
            }
            try {
                if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                    socat.destroy(); // TERM: its trap stops socat
                    if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                        socat.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socat = null;
        }
        try {
            Files.deleteIfExists(boxSide);
            Files.deleteIfExists(deviceSide);
        } catch (IOException e) {
            // socat removes its links itself; nothing else to do
        }
    }

    public synchronized boolean running() {
        return socat != null && socat.isAlive();
    }

    public Path boxSide() {
        return boxSide;
    }

    public Path deviceSide() {
        return deviceSide;
    }

    @Override
    public void close() {
        stop();
    }
}
