package org.switchboard.line.serial.internal.sim;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.switchboard.line.serial.internal.at.Dle;
import org.switchboard.line.serial.internal.audio.VoiceFormat;

/**
 * A V.253 voice modem on an analog line, with the far-end caller: rings with caller ID (before
 * or after the first ring), answers AT+VLS/AT+VTR, talks and listens in shielded voice data,
 * sends the caller's keys and hang-up as DLE events, dials out.
 */
public final class SimulatedModem extends SimulatedDevice {

    /** What the far end does when the box dials out. */
    public enum Outcome { ANSWER, BUSY, NO_ANSWER }

    /** AT+VSM=? of a common modem: linear, G.711 both laws. */
    public static final List<String> DEFAULT_METHODS = List.of(
            "0,\"SIGNED PCM\",8,0,(8000),(0),(0)",
            "1,\"UNSIGNED PCM\",8,0,(8000),(0),(0)",
            "4,\"G.711U\",8,0,(8000),(0),(0)",
            "5,\"G.711A\",8,0,(8000),(0),(0)");

    private volatile List<String> methods = DEFAULT_METHODS;
    private volatile boolean duplexSupported = true;
    private volatile VoiceFormat format = VoiceFormat.ULAW;
    private boolean offHook;
    private boolean voice;
    private boolean pendingDle;
    private boolean voiceCid = false;
    private ScheduledFuture<?> ringing;
    private volatile String callerNumber = "";
    private volatile String keysFromBox = "";
    private volatile String lastDialled = "";
    private volatile Outcome outcome = Outcome.ANSWER;
    private volatile long ringIntervalMs = 4000;
    private volatile long ringNanos;
    private final byte[] shielded = new byte[4 * FRAME];
    private volatile int answers;
    private boolean dialling;

    public SimulatedModem(String name, Path port) {
        super(name, port);
    }

    @Override
    public SimulatedModem start() {
        super.start();
        return this;
    }

    /** What AT+VSM=? answers (to test modems the box cannot use). */
    public void methods(List<String> lines) {
        this.methods = List.copyOf(lines);
    }

    public void duplex(boolean on) {
        this.duplexSupported = on;
    }

    public void outcome(Outcome o) {
        this.outcome = o;
    }

    public void ringInterval(long ms) {
        this.ringIntervalMs = ms;
    }

    // ---------------------------------------------------------------- the far end

    /**
     * A call arrives: RING every few seconds until the box answers or {@link #stopRinging}.
     *
     * @param number   the caller's number, "P" for withheld, "O" for unavailable, null for no caller ID
     * @param beforeRing caller ID before the first ring (as in China) rather than after it
     */
    public synchronized void ring(String number, String name, boolean beforeRing) {
        stopRinging();
        String cid = number == null ? "" : "\r\nDATE = 1123\r\nTIME = 0930\r\nNMBR = " + number + "\r\n"
                + (name == null || name.isEmpty() ? "" : "NAME = " + name + "\r\n");
        if (beforeRing) {
            send(cid);
        }
        ringNanos = System.nanoTime();
        result("RING");
        if (!beforeRing) {
            send(cid);
        }
        ringing = clock.scheduleAtFixedRate(() -> {
            synchronized (this) {
                if (!offHook) {
                    result("RING");
                }
            }
        }, ringIntervalMs, ringIntervalMs, TimeUnit.MILLISECONDS);
    }

    /** The caller gives up before anybody answers. */
    public synchronized void stopRinging() {
        if (ringing != null) {
            ringing.cancel(false);
            ringing = null;
        }
    }

    /** The caller presses keys (DLE digit events, in voice mode). */
    public synchronized void keys(String digits) {
        for (char c : digits.toCharArray()) {
            sendBytes(new byte[] {Dle.DLE, (byte) c}, 2);
        }
    }

    /**
     * The far end hangs up; the modem reports it as {@code <DLE>how}: l loop current drop, b busy
     * tone, d dial tone, s silence.
     */
    public synchronized void hangup(char how) {
        sendBytes(new byte[] {Dle.DLE, (byte) how}, 2);
    }

    public boolean offHook() {
        return offHook;
    }

    public boolean inVoice() {
        return voice;
    }

    public String keysFromBox() {
        return keysFromBox;
    }

    public String lastDialled() {
        return lastDialled;
    }

    public long ringNanos() {
        return ringNanos;
    }

    public int answers() {
        return answers;
    }

    // ---------------------------------------------------------------- the modem

    @Override
    protected int consume(byte[] buf, int i, int n) {
        if (!voice) {
            return super.consume(buf, i, n);
        }
        byte b = buf[i];
        if (pendingDle) {
            pendingDle = false;
            if (b == Dle.DLE) {
                heard(buf, i, 1);
            } else if (b == Dle.ETX || b == '!' || b == '^') {
                voice = false;
                stopTalking();
                sendBytes(new byte[] {Dle.DLE, Dle.ETX}, 2);
                result(offHook ? "VCON" : "OK");
            }
            return i;
        }
        if (b == Dle.DLE) {
            pendingDle = true;
            return i;
        }
        int end = i;
        while (end + 1 < n && buf[end + 1] != Dle.DLE) {
            end++;
        }
        heard(buf, i, end - i + 1);
        return end;
    }

    @Override
    protected void command(String c) {
        String u = c.toUpperCase();
        if (u.equals("AT") || u.equals("ATV1") || u.startsWith("AT+VSD") || u.startsWith("AT+VGT") || u.startsWith("AT+VGR")) {
            result("OK");
        } else if (u.equals("ATZ")) {
            offHook = false;
            echo = true;
            result("OK");
        } else if (u.equals("ATE0") || u.equals("ATE1")) {
            echo = u.equals("ATE1");
            result("OK");
        } else if (u.equals("AT+GMI")) {
            result("Switchboard simulated modem");
            result("OK");
        } else if (u.equals("AT+GMM")) {
            result("V.253 voice modem");
            result("OK");
        } else if (u.equals("AT+FCLASS=?")) {
            result("0,1,8");
            result("OK");
        } else if (u.equals("AT+FCLASS=8")) {
            result("OK");
        } else if (u.equals("AT+VCID=1")) {
            voiceCid = true;
            result("OK");
        } else if (u.equals("AT+VSM=?")) {
            for (String m : methods) {
                result(m);
            }
            result("OK");
        } else if (u.startsWith("AT+VSM=")) {
            String id = u.substring(7).split(",")[0];
            VoiceFormat f = switch (id) {
                case "1" -> VoiceFormat.LINEAR8;
                case "4" -> VoiceFormat.ULAW;
                case "5" -> VoiceFormat.ALAW;
                case "129" -> VoiceFormat.LINEAR16;
                default -> null;
            };
            if (f == null) {
                result("ERROR");
            } else {
                format = f;
                result("OK");
            }
        } else if (u.equals("AT+VTR=?")) {
            result(duplexSupported ? "OK" : "ERROR");
        } else if (u.equals("AT+VLS=1")) {
            offHook = true;
            stopRinging();
            answers++;
            result("VCON");
        } else if (u.equals("AT+VLS=0") || u.equals("ATH") || u.equals("ATH0")) {
            offHook = false;
            stopRinging();
            result("OK");
        } else if (u.equals("AT+VTR") && duplexSupported || u.equals("AT+VTX") || u.equals("AT+VRX")) {
            if (!offHook) {
                result("ERROR");
                return;
            }
            result("CONNECT");
            voice = true;
            pendingDle = false;
            startTalking();
        } else if (u.startsWith("AT+VTS=")) {
            keysFromBox = keysFromBox + u.substring(7).replace(",", "").replace("\"", "");
            result("OK");
        } else if (u.startsWith("ATDT") || u.startsWith("ATD")) {
            lastDialled = u.substring(u.startsWith("ATDT") ? 4 : 3);
            offHook = true;
            dialling = true;
            Outcome o = outcome;
            clock.schedule(() -> {
                synchronized (this) {
                    if (!dialling) {
                        return;
                    }
                    dialling = false;
                    switch (o) {
                        case ANSWER -> result("VCON");
                        case BUSY -> result("BUSY");
                        case NO_ANSWER -> result("NO ANSWER");
                        default -> result("ERROR");
                    }
                }
            }, 300, TimeUnit.MILLISECONDS);
        } else {
            result("ERROR");
        }
    }

    @Override
    protected void emptyLine() {
        if (dialling) {
            dialling = false;
            offHook = false;
            result("NO CARRIER");
        }
    }

    @Override
    protected void onUnplugged() {
        dialling = false;
        voice = false;
        offHook = false;
        stopRinging();
    }

    @Override
    protected void speak(byte[] encoded, int n) {
        synchronized (this) {
            if (!voice) {
                return;
            }
        }
        int m = Dle.shield(encoded, 0, n, shielded, 0);
        sendBytes(shielded, m);
    }

    @Override
    protected VoiceFormat format() {
        return format;
    }
}
