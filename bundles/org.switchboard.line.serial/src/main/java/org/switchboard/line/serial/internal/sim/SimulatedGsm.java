package org.switchboard.line.serial.internal.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.switchboard.line.serial.internal.at.JSerialCommIo;
import org.switchboard.line.serial.internal.at.SerialIo;
import org.switchboard.line.serial.internal.audio.VoiceFormat;

/**
 * A 3GPP 27.007 GSM/LTE module with a SIM, and the far-end caller: registration and signal,
 * RING with +CLIP, ATA, NO CARRIER when the caller hangs up, ATD...; with AT+CLCC progress,
 * AT+VTS, SMS in text mode. Voice, when it has an audio port, is raw 16-bit PCM on a second
 * pseudo-terminal.
 */
public final class SimulatedGsm extends SimulatedDevice {

    /** A message the box sent. */
    public record Sms(String to, String text) {
    }

    private final Path audioPort;
    private volatile SerialIo audio;
    private Thread audioReader;
    private volatile String pin = "READY";
    private volatile int creg = 1;
    private volatile int rssi = 20;
    private volatile boolean callUp;
    private volatile boolean incoming;
    private volatile int clccStat = -1;
    private ScheduledFuture<?> ringing;
    private volatile String clip = "";
    private volatile String keysFromBox = "";
    private volatile String lastDialled = "";
    private volatile SimulatedModem.Outcome outcome = SimulatedModem.Outcome.ANSWER;
    private final List<Sms> messages = new ArrayList<>();
    private String smsTo;
    private StringBuilder smsText;
    private int smsRef;
    private volatile long ringNanos;

    /** @param audioPort the module's PCM port (device side), or null for none */
    public SimulatedGsm(String name, Path port, Path audioPort) {
        super(name, port);
        this.audioPort = audioPort;
    }

    @Override
    public SimulatedGsm start() {
        super.start();
        return this;
    }

    public void pin(String state) {
        this.pin = state;
    }

    /** +CREG stat: 1 home, 5 roaming, 2 searching, 3 denied, 0 not registered. Sent as a URC too. */
    public synchronized void registration(int stat) {
        this.creg = stat;
        result("+CREG: " + stat);
    }

    public void signal(int rssi) {
        this.rssi = rssi;
    }

    public void outcome(SimulatedModem.Outcome o) {
        this.outcome = o;
    }

    // ---------------------------------------------------------------- far end

    /**
     * A call arrives: RING then +CLIP, every 3 s until answered.
     *
     * @param number null or "" withheld
     */
    public synchronized void ring(String number) {
        stopRinging();
        incoming = true;
        clccStat = 4;
        clip = number == null || number.isEmpty() ? "+CLIP: \"\",128,,,,1" : "+CLIP: \"" + number + "\",129,,,,0";
        ringNanos = System.nanoTime();
        result("RING");
        result(clip);
        ringing = clock.scheduleAtFixedRate(() -> {
            synchronized (this) {
                if (!callUp) {
                    result("RING");
                    result(clip);
                }
            }
        }, 3000, 3000, TimeUnit.MILLISECONDS);
    }

    public synchronized void stopRinging() {
        if (ringing != null) {
            ringing.cancel(false);
            ringing = null;
        }
    }

    /** The far end hangs up: NO CARRIER. */
    public synchronized void hangup() {
        stopRinging();
        endCall();
        result("NO CARRIER");
    }

    /** The caller presses keys: in-band DTMF on the audio port. */
    public synchronized void keys(String digits) {
        pendingKeys = digits;
    }

    private volatile String pendingKeys = "";

    public boolean callUp() {
        return callUp;
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

    public synchronized List<Sms> messages() {
        return List.copyOf(messages);
    }

    // ---------------------------------------------------------------- module

    @Override
    protected int consume(byte[] buf, int i, int n) {
        if (smsText == null) {
            return super.consume(buf, i, n);
        }
        byte b = buf[i];
        if (b == 0x1A) {
            messages.add(new Sms(smsTo, smsText.toString()));
            smsText = null;
            result("+CMGS: " + (++smsRef));
            result("OK");
        } else if (b == 0x1B) {
            smsText = null;
            result("OK");
        } else {
            smsText.append((char) (b & 0xFF));
        }
        return i;
    }

    @Override
    protected void command(String c) {
        String u = c.toUpperCase();
        if (u.equals("AT") || u.equals("AT+CMEE=1") || u.equals("AT+CLIP=1") || u.equals("AT+CREG=1") || u.equals("AT+CMGF=1")
                || u.startsWith("AT+CSCS=") || u.startsWith("AT+CSMP=")) {
            result("OK");
        } else if (u.equals("ATE0") || u.equals("ATE1")) {
            echo = u.equals("ATE1");
            result("OK");
        } else if (u.equals("AT+GMI") || u.equals("AT+CGMI")) {
            result("Switchboard");
            result("OK");
        } else if (u.equals("AT+GMM") || u.equals("AT+CGMM")) {
            result("simulated LTE module");
            result("OK");
        } else if (u.equals("AT+CPIN?")) {
            if (pin.equals("NO SIM")) {
                result("+CME ERROR: 10");
            } else {
                result("+CPIN: " + pin);
                result("OK");
            }
        } else if (u.equals("AT+CREG?")) {
            result("+CREG: 1," + creg);
            result("OK");
        } else if (u.equals("AT+CSQ")) {
            result("+CSQ: " + rssi + ",99");
            result("OK");
        } else if (u.equals("ATA")) {
            if (!incoming) {
                result("NO CARRIER");
                return;
            }
            stopRinging();
            startCall();
            result("OK");
        } else if (u.equals("ATH") || u.equals("AT+CHUP")) {
            stopRinging();
            endCall();
            result("OK");
        } else if (u.equals("AT+CLCC")) {
            if (clccStat >= 0) {
                result("+CLCC: 1," + (incoming ? 1 : 0) + "," + clccStat + ",0,0,\"" + lastDialled + "\",129");
            }
            result("OK");
        } else if (u.startsWith("AT+VTS=")) {
            keysFromBox = keysFromBox + u.substring(7).replace("\"", "");
            result("OK");
        } else if (u.startsWith("ATD") && u.endsWith(";")) {
            lastDialled = u.substring(3, u.length() - 1).replace("I", "");
            incoming = false;
            clccStat = 2;
            result("OK");
            SimulatedModem.Outcome o = outcome;
            clock.schedule(() -> {
                synchronized (this) {
                    if (clccStat == 2) {
                        clccStat = 3;
                    }
                }
            }, 200, TimeUnit.MILLISECONDS);
            clock.schedule(() -> {
                synchronized (this) {
                    if (clccStat != 3) {
                        return;
                    }
                    switch (o) {
                        case ANSWER -> startCall();
                        case BUSY -> {
                            clccStat = -1;
                            result("BUSY");
                        }
                        default -> {
                            clccStat = -1;
                            result("NO ANSWER");
                        }
                    }
                }
            }, 800, TimeUnit.MILLISECONDS);
        } else if (u.startsWith("AT+CMGS=")) {
            smsTo = c.substring(8).replace("\"", "");
            smsText = new StringBuilder();
            send("\r\n> ");
        } else {
            result("ERROR");
        }
    }

    private void startCall() {
        callUp = true;
        clccStat = 0;
        if (audioPort != null) {
            openAudio();
            startTalking();
        }
    }

    private void endCall() {
        callUp = false;
        incoming = false;
        clccStat = -1;
        stopTalking();
        SerialIo a = audio;
        audio = null;
        if (a != null) {
            a.close();
        }
    }

    private void openAudio() {
        if (audio != null || !Files.exists(audioPort)) {
            return;
        }
        try {
            SerialIo a = JSerialCommIo.open(audioPort.toString(), 115200, "none");
            audio = a;
            audioReader = new Thread(() -> {
                byte[] buf = new byte[1024];
                while (audio == a) {
                    int n = a.read(buf, 0, buf.length);
                    if (n < 0) {
                        break;
                    }
                    if (n > 0) {
                        heard(buf, 0, n);
                    }
                }
            }, "switchboard-sim-audio-" + name);
            audioReader.setDaemon(true);
            audioReader.start();
        } catch (IOException e) {
            LOG.warn("{}: audio port: {}", name, e.getMessage());
        }
    }

    @Override
    protected void onUnplugged() {
        endCall();
        stopRinging();
    }

    private final short[] dtmf = new short[FRAME];
    private final byte[] dtmfBytes = new byte[2 * FRAME];
    private int keyIndex;
    private int keyFrame;

    @Override
    protected void speak(byte[] encoded, int n) {
        SerialIo a = audio;
        if (a == null) {
            return;
        }
        byte[] out = encoded;
        String keys = pendingKeys;
        if (!keys.isEmpty()) {
            // 100 ms of the key's two tones, then 100 ms of silence, per key
            char k = keys.charAt(keyIndex);
            for (int i = 0; i < FRAME; i++) {
                double t = (keyFrame * FRAME + i) / 8000.0;
                dtmf[i] = keyFrame < 5 ? (short) (5000 * (Math.sin(2 * Math.PI * low(k) * t) + Math.sin(2 * Math.PI * high(k) * t))) : 0;
            }
            VoiceFormat.LINEAR16.encode(dtmf, FRAME, dtmfBytes);
            out = dtmfBytes;
            if (++keyFrame == 10) {
                keyFrame = 0;
                if (++keyIndex == keys.length()) {
                    keyIndex = 0;
                    pendingKeys = "";
                }
            }
        }
        try {
            a.write(out, 0, n);
        } catch (IOException e) {
            LOG.debug("{}: audio write: {}", name, e.getMessage());
        }
    }

    private static int low(char k) {
        return switch (k) {
            case '1', '2', '3', 'A' -> 697;
            case '4', '5', '6', 'B' -> 770;
            case '7', '8', '9', 'C' -> 852;
            default -> 941;
        };
    }

    private static int high(char k) {
        return switch (k) {
            case '1', '4', '7', '*' -> 1209;
            case '2', '5', '8', '0' -> 1336;
            case '3', '6', '9', '#' -> 1477;
            default -> 1633;
        };
    }

    @Override
    protected VoiceFormat format() {
        return VoiceFormat.LINEAR16;
    }
}
