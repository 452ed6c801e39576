package org.switchboard.line.serial.internal.at;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command/response engine of one AT port (V.250 with V.253 voice and 3GPP 27.007 on top).
 * <p>
 * One reader thread per open port splits what arrives into result lines, tells apart the answer
 * to the pending command from unsolicited result codes (RING, +CLIP, caller ID lines, NO CARRIER
 * of a call that ended, ...) that can arrive in the middle of it, and, once a voice command has
 * been answered with CONNECT, reads the DLE-shielded voice stream until {@code <DLE><ETX>}.
 * One command is outstanding at a time; {@link #command} waits for its result with a deadline
 * and is called only from the line's control thread, never from an I/O or media thread.
 */
public final class AtEngine {

    /** What the reader thread reports. Called on the reader thread: return quickly, never block. */
    public interface Listener {

        /** A line that is not the answer to the pending command (RING, +CLIP: ..., NMBR = ...). */
        void unsolicited(String line);

        /** {@code <DLE>c} from the device (DTMF, tones, loop drop, ring), in voice or command mode. */
        void dleEvent(char c);

        /** Unshielded voice bytes, valid only during the call. */
        void voiceData(byte[] buf, int off, int len);

        /** The device ended its voice data ({@code <DLE><ETX>}); the port is back in command mode. */
        void voiceEnded();

        /** The port went away (read error); the engine has stopped. */
        void portGone(String reason);

        /** Something unreadable arrived (noise, an unknown response); counted, for the line's health. */
        void problem(String what);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AtEngine.class);
    /** The logger that line:trace turns the AT dialogue on for. */
    public static final Logger TRACE = LoggerFactory.getLogger("org.switchboard.line.serial.trace");
    static final int MAX_LINE = 512;

    private enum Mode { COMMAND, VOICE }

    private static final class Pending {
        final String command;
        final String prefix;
        final boolean callControl;
        final boolean voice;
        final boolean prompt;
        final List<String> lines = new ArrayList<>();
        final CompletableFuture<AtResponse> result = new CompletableFuture<>();

        Pending(String command, boolean voice, boolean prompt) {
            this.command = command;
            String upper = command.toUpperCase(Locale.ROOT);
            this.prefix = responsePrefix(upper);
            this.callControl = upper.startsWith("ATD") || upper.startsWith("ATA") || upper.startsWith("ATH")
                    || upper.startsWith("AT+VTR") || upper.startsWith("AT+VRX") || upper.startsWith("AT+VTX")
                    || upper.startsWith("AT+VLS") || upper.startsWith("AT+CHUP");
            this.voice = voice;
            this.prompt = prompt;
        }
    }

    private final String lineId;
    private final SerialIo io;
    private final Listener listener;
    private final Object writeLock = new Object();
    private final AtomicReference<Pending> pending = new AtomicReference<>();
    private final Dle.Decoder decoder = new Dle.Decoder();
    private final Thread reader;
    private final byte[] lineBuf = new byte[MAX_LINE];
    private int lineLen;
    private boolean dleInCommand;
    private boolean skipLf;
    private volatile Mode mode = Mode.COMMAND;
    private volatile boolean running = true;
    private volatile boolean trace;
    private final AtomicLong noiseBytes = new AtomicLong();
    private final AtomicLong unexpectedLines = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();

    private final Dle.Sink voiceSink = new Dle.Sink() {
        @Override
        public void data(byte[] buf, int off, int len) {
            listener.voiceData(buf, off, len);
        }

        @Override
        public void event(char c) {
            if (c != Dle.ETX) {
                traceIn("<DLE>" + printable(c));
                listener.dleEvent(c);
            }
        }
    };

    public AtEngine(String lineId, SerialIo io, Listener listener) {
        this.lineId = lineId;
        this.io = io;
        this.listener = listener;
        this.reader = new Thread(this::readLoop, "switchboard-serial-rx-" + lineId);
        this.reader.setDaemon(true);
    }

    public void start() {
        reader.start();
    }

    public void trace(boolean on) {
        this.trace = on;
    }

    public boolean tracing() {
        return trace;
    }

    /**
     * Sends a command and waits for its final result.
     *
     * @throws AtException when no result came in {@code timeoutMs}, or the port went away
     */
    public AtResponse command(String command, long timeoutMs) throws AtException {
        return send(new Pending(command, false, false), timeoutMs);
    }

    /**
     * Sends a command and returns at once; the future completes on the reader thread with the
     * result, or fails after {@code timeoutMs}. Other commands are refused until it completes. For
     * dialling, where the result can take a minute and the call may be abandoned meanwhile
     * (any character sent aborts it: {@link #abort}).
     */
    public CompletableFuture<AtResponse> commandAsync(String command, long timeoutMs) {
        Pending p = new Pending(command, false, false);
        if (!running || !pending.compareAndSet(null, p)) {
            return CompletableFuture.failedFuture(new AtException(lineId + ": cannot send " + command
                    + (running ? " while " + pending.get().command + " is pending" : ": port closed"), !running));
        }
        traceOut(command);
        byte[] b = (command + "\r").getBytes(StandardCharsets.ISO_8859_1);
        try {
            write(b, 0, b.length);
        } catch (IOException e) {
            pending.compareAndSet(p, null);
            return CompletableFuture.failedFuture(new AtException(e.getMessage(), true));
        }
        return p.result.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e != null) {
                timeouts.incrementAndGet();
            }
            pending.compareAndSet(p, null);
        });
    }

    /** Waits (control thread only) until no command is pending, e.g. after {@link #abort}. */
    public void awaitIdle(long timeoutMs) throws AtException {
        Pending p = pending.get();
        if (p == null) {
            return;
        }
        try {
            p.result.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // the command ended with an error: idle now
        } catch (TimeoutException e) {
            pending.compareAndSet(p, null);
            throw new AtException(lineId + ": " + p.command + " still unanswered after " + timeoutMs + " ms", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.compareAndSet(p, null);
    }

    /** Aborts a command in progress (V.250: any character aborts dialling). */
    public void abort() throws IOException {
        traceOut("<CR> (abort)");
        write(new byte[] {'\r'}, 0, 1);
    }

    /** As {@link #command}, and a CONNECT result switches the port to voice data. */
    public AtResponse voiceCommand(String command, long timeoutMs) throws AtException {
        return send(new Pending(command, true, false), timeoutMs);
    }

    /** As {@link #command}, for commands answered with a {@code "> "} prompt (AT+CMGS): the prompt completes it. */
    public AtResponse promptCommand(String command, long timeoutMs) throws AtException {
        return send(new Pending(command, false, true), timeoutMs);
    }

    /** Sends the text that follows a prompt, ended by {@code end} (Ctrl-Z for SMS), and waits for the result. */
    public AtResponse promptText(String text, char end, long timeoutMs) throws AtException {
        Pending p = new Pending("(text)", false, false);
        if (!pending.compareAndSet(null, p)) {
            throw new AtException(lineId + ": a command is still pending", false);
        }
        traceOut(text + "<" + (int) end + ">");
        byte[] b = (text + end).getBytes(StandardCharsets.ISO_8859_1);
        return await(p, b, timeoutMs);
    }

    private AtResponse send(Pending p, long timeoutMs) throws AtException {
        if (!running) {
            throw new AtException(lineId + ": port " + io.path() + " is closed", true);
        }
        if (!pending.compareAndSet(null, p)) {
            throw new AtException(lineId + ": command " + p.command + " sent while " + pending.get().command + " is pending", false);
        }
        traceOut(p.command);
        return await(p, (p.command + "\r").getBytes(StandardCharsets.ISO_8859_1), timeoutMs);
    }

    private AtResponse await(Pending p, byte[] bytes, long timeoutMs) throws AtException {
        try {
            write(bytes, 0, bytes.length);
            return p.result.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new AtException(e.getMessage(), true);
        } catch (TimeoutException e) {
            timeouts.incrementAndGet();
            throw new AtException(lineId + ": no answer to " + p.command + " in " + timeoutMs + " ms", false);
        } catch (ExecutionException e) {
            throw new AtException(e.getCause().getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtException(lineId + ": interrupted waiting for " + p.command, false);
        } finally {
            pending.compareAndSet(p, null);
        }
    }

    /**
     * Ends voice data from this side ({@code <DLE><ETX>} after transmitting, {@code <DLE>!} to abort
     * receiving) and waits for the device to confirm it is back in command mode (OK or VCON).
     */
    public AtResponse endVoice(char dleCode, long timeoutMs) throws AtException {
        Pending p = new Pending("AT+VTR", false, false); // treated as call control: OK or VCON ends it
        if (!pending.compareAndSet(null, p)) {
            throw new AtException(lineId + ": ending voice while " + pending.get().command + " is pending", false);
        }
        traceOut("<DLE>" + printable(dleCode) + " (end voice)");
        return await(p, new byte[] {Dle.DLE, (byte) dleCode}, timeoutMs);
    }

    /** Writes raw bytes (voice data, DLE commands). Thread-safe; may wait for flow control, so never from the media clock. */
    public void write(byte[] buf, int off, int len) throws IOException {
        synchronized (writeLock) {
            io.write(buf, off, len);
        }
    }

    /** Sends {@code <DLE>c} (e.g. ETX to end voice transmission). */
    public void writeDle(char c) throws IOException {
        traceOut("<DLE>" + printable(c));
        write(new byte[] {Dle.DLE, (byte) c}, 0, 2);
    }

    public boolean inVoice() {
        return mode == Mode.VOICE;
    }

    /** Stops the reader and closes the port. Idempotent. */
    public void close() {
        running = false;
        io.close();
        Pending p = pending.getAndSet(null);
        if (p != null) {
            p.result.completeExceptionally(new IOException(lineId + ": port " + io.path() + " closed"));
        }
        if (Thread.currentThread() != reader) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean readerAlive() {
        return reader.isAlive();
    }

    public long noiseBytes() {
        return noiseBytes.get();
    }

    public long unexpectedLines() {
        return unexpectedLines.get();
    }

    public long timeouts() {
        return timeouts.get();
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    // ---------------------------------------------------------------- reader

    private void readLoop() {
        byte[] buf = new byte[4096];
        while (running) {
            int n = io.read(buf, 0, buf.length);
            if (n < 0) {
                if (running) {
                    running = false;
                    Pending p = pending.getAndSet(null);
                    if (p != null) {
                        p.result.completeExceptionally(new IOException(lineId + ": port " + io.path() + " disappeared"));
                    }
                    io.close();
                    listener.portGone("port " + io.path() + " disappeared");
                }
                return;
            }
            if (n > 0) {
                bytesIn.addAndGet(n);
                try {
                    process(buf, 0, n);
                } catch (RuntimeException e) {
                    LOG.error("{}: reading from {} failed; the bytes were dropped", lineId, io.path(), e);
                    listener.problem("internal error reading the port: " + e);
                }
            }
        }
    }

    /** Feeds received bytes. Package-private so that the tests can feed cut buffers directly. */
    void process(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (mode == Mode.VOICE) {
                if (skipLf) {
                    skipLf = false; // the LF of "CONNECT<CR><LF>" is not voice data
                    if (buf[i] == '\n') {
                        i++;
                        continue;
                    }
                }
                int after = decoder.decode(buf, i, end - i, voiceSink);
                if (after < 0) {
                    return;
                }
                mode = Mode.COMMAND;
                traceIn("<DLE><ETX> (voice data ended)");
                listener.voiceEnded();
                i = after;
                continue;
            }
            byte b = buf[i++];
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (dleInCommand) {
                dleInCommand = false;
                if (b != Dle.DLE) {
                    traceIn("<DLE>" + printable((char) (b & 0xFF)));
                    listener.dleEvent((char) (b & 0xFF));
                }
                continue;
            }
            if (b == Dle.DLE) {
                dleInCommand = true;
                continue;
            }
            if (b == '\r' || b == '\n') {
                if (lineLen > 0) {
                    String line = new String(lineBuf, 0, lineLen, StandardCharsets.ISO_8859_1).trim();
                    lineLen = 0;
                    if (!line.isEmpty()) {
                        onLine(line);
                        if (mode == Mode.VOICE && b == '\r') {
                            skipLf = true;
                        }
                    }
                }
                continue;
            }
            if (b < 0x20 && b != '\t' || b == 0x7F) { // control characters and bytes over 0x7F (negative)
                noiseBytes.incrementAndGet();
                continue;
            }
            if (lineLen == MAX_LINE) {
                noiseBytes.addAndGet(lineLen);
                lineLen = 0;
                listener.problem("a response longer than " + MAX_LINE + " characters without end of line");
                continue;
            }
            lineBuf[lineLen++] = b;
            if (lineLen <= 2 && lineBuf[0] == '>') {
                Pending p = pending.get();
                if (p != null && p.prompt) {
                    lineLen = 0;
                    traceIn(">");
                    finish(p, ">");
                }
            }
        }
    }

    private void onLine(String line) {
        Pending p = pending.get();
        if (p != null && line.equalsIgnoreCase(p.command)) {
            return; // echo
        }
        traceIn(line);
        if (p != null && isFinal(line, p)) {
            if (p.voice && line.startsWith("CONNECT")) {
                decoder.reset();
                mode = Mode.VOICE;
            }
            finish(p, line);
            return;
        }
        if (p != null && (!p.prefix.isEmpty() && line.startsWith(p.prefix) || !isUnsolicited(line) && !isCallEnd(line))) {
            p.lines.add(line);
            return;
        }
        if (isUnsolicited(line) || isCallEnd(line)) {
            listener.unsolicited(line);
            return;
        }
        unexpectedLines.incrementAndGet();
        listener.problem("unexpected response '" + abbreviate(line) + "'");
    }

    private void finish(Pending p, String result) {
        if (pending.compareAndSet(p, null)) {
            p.result.complete(new AtResponse(p.command, p.lines, result));
        }
    }

    // ---------------------------------------------------------------- classification

    /** "AT+CSQ" -> "+CSQ:", "AT+CREG?" -> "+CREG:", "ATI" -> "". */
    static String responsePrefix(String upperCommand) {
        if (!upperCommand.startsWith("AT+") && !upperCommand.startsWith("AT^")) {
            return "";
        }
        int end = 3;
        while (end < upperCommand.length() && (Character.isLetterOrDigit(upperCommand.charAt(end)))) {
            end++;
        }
        return upperCommand.substring(2, end) + ":";
    }

    static boolean isCallEnd(String line) {
        return line.equals("NO CARRIER") || line.equals("BUSY") || line.equals("NO ANSWER")
                || line.equals("NO DIALTONE") || line.equals("NO DIAL TONE");
    }

    private static boolean isFinal(String line, Pending p) {
        if (line.equals("OK") || line.equals("ERROR") || line.startsWith("+CME ERROR") || line.startsWith("+CMS ERROR")) {
            return true;
        }
        if (line.startsWith("CONNECT") || line.equals("VCON")) {
            return p.callControl;
        }
        return p.callControl && isCallEnd(line);
    }

    /** Result codes a device sends on its own: calls arriving, caller ID, registration, messages. */
    public static boolean isUnsolicited(String line) {
        return line.equals("RING") || line.startsWith("+CRING:") || line.startsWith("+CLIP:")
                || line.startsWith("+CREG:") || line.startsWith("+CGREG:") || line.startsWith("+CEREG:")
                || line.startsWith("+CMTI:") || line.startsWith("+CDS:") || line.startsWith("+CIEV:")
                || line.startsWith("+CUSD:") || line.startsWith("+CCWA:")
                || callerIdLine(line) || line.startsWith("^");
    }

    /** V.253 caller ID lines: DATE = 1123, TIME = 0600, NMBR = 13800138000, NAME = ..., MESG = ... */
    static boolean callerIdLine(String line) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String key = line.substring(0, eq).trim();
        return key.equals("DATE") || key.equals("TIME") || key.equals("NMBR") || key.equals("NAME")
                || key.equals("DDN_NMBR") || key.equals("MESG");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("0x%02x", (int) c);
    }

    private void traceOut(String what) {
        if (trace) {
            TRACE.info("{} -> {}", lineId, what);
        }
    }

    private void traceIn(String what) {
        if (trace) {
            TRACE.info("{} <- {}", lineId, what);
        }
    }
}
