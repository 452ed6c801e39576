package org.switchboard.line.serial.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.hw.api.UnitSpec;
import org.switchboard.line.serial.internal.LineCall.State;
import org.switchboard.line.serial.api.SmsSender.SmsException;
import org.switchboard.line.serial.api.SmsSender.SmsReceipt;
import org.switchboard.line.serial.internal.at.AtEngine;
import org.switchboard.line.serial.internal.at.AtException;
import org.switchboard.line.serial.internal.at.AtResponse;
import org.switchboard.line.serial.internal.at.SerialIo;
import org.switchboard.line.serial.internal.audio.VoiceFormat;
import org.switchboard.line.serial.internal.audio.VoicePath;
import org.switchboard.media.dsp.DtmfDetector;

/**
 * A GSM/LTE module through 3GPP TS 27.007: SIM and network registration and signal as the line's
 * health, calls in (RING, +CLIP) and out (ATD...; with AT+CLCC for progress), AT+VTS, SMS in text
 * mode. Voice travels as 16-bit PCM on the module's audio port when the profile names one; keys
 * from the caller are then detected in-band.
 */
public final class GsmLine extends SerialLine {

    static final long CLCC_MS = 500;
    /** CSQ at or under this is a weak signal (-101 dBm and less). */
    static final int WEAK_RSSI = 6;

    private volatile String registration = "unknown";
    private volatile boolean registered;
    private volatile String audioProblem = "";
    private volatile long smsSent;

    final class GsmCall extends LineCall {
        SerialIo audio;
        Thread audioReader;
        boolean alerted;

        GsmCall(boolean inbound, State state) {
            super(GsmLine.this, inbound, state, c -> new VoicePath(id, VoiceFormat.LINEAR16, false, new DtmfDetector(c::key)));
        }
    }

    private GsmCall current() {
        return (GsmCall) call.get();
    }

    GsmLine(UnitSpec spec, String cardId, ChannelPublisher publisher, ScheduledExecutorService timer, PortOpener opener) {
        super(spec, cardId, publisher, timer, opener);
        this.opener = opener;
    }

    private final PortOpener opener;

    @Override
    public LineKind kind() {
        return LineKind.GSM;
    }

    private boolean audioAbsent() {
        return spec.get("audio-port").equals("none");
    }

    // ---------------------------------------------------------------- initialisation and health

    @Override
    protected String initialise(AtEngine at) throws AtException {
        AtResponse hello = at.command("AT", COMMAND_MS);
        if (!hello.ok()) {
            hello = at.command("AT", COMMAND_MS);
        }
        if (!hello.ok()) {
            return "the module answers AT with " + hello.result();
        }
        expectOk(at, "ATE0", "echo off");
        at.command("AT+CMEE=1", COMMAND_MS);
        fact("Module", ModemLine.model(at).replace("AT+GMI/AT+GMM", "AT+CGMI/AT+CGMM"));
        AtResponse pin = at.command("AT+CPIN?", COMMAND_MS);
        String sim = pin.value("+CPIN:");
        if (!pin.ok() || sim == null || !sim.equals("READY")) {
            return "SIM not ready: " + (sim != null ? "+CPIN: " + sim + (sim.contains("PIN") || sim.contains("PUK")
                    ? " (the box keeps no SIM PINs: unlock the SIM or switch its PIN off with AT+CLCK)" : "")
                    : pin.result().contains("10") ? "no SIM inserted (" + pin.result() + ")" : pin.result());
        }
        expectOk(at, "AT+CLIP=1", "caller ID");
        at.command("AT+CREG=1", COMMAND_MS);
        at.command("AT+CMGF=1", COMMAND_MS);
        String init = runProfileInit(at);
        if (init != null) {
            return init;
        }
        fact("Audio", audioAbsent() ? "absent: audio-port is none (the module's own audio interface carries the voice)"
                : "16-bit PCM on " + spec.get("audio-port"));
        checkHealth(at);
        return null;
    }

    @Override
    protected void checkHealth(AtEngine at) throws AtException {
        AtResponse creg = at.command("AT+CREG?", COMMAND_MS);
        if (!creg.ok()) {
            throw new AtException("AT+CREG? answered " + creg.result(), false);
        }
        String v = creg.value("+CREG:");
        int stat = -1;
        if (v != null) {
            List<String> f = CallerIds.fields(v);
            try {
                stat = Integer.parseInt(f.size() > 1 ? f.get(1) : f.get(0));
            } catch (NumberFormatException e) {
                stat = -1;
            }
        }
        AtResponse csq = at.command("AT+CSQ", COMMAND_MS);
        String q = csq.value("+CSQ:");
        int rssi = 99;
        if (q != null) {
            try {
                rssi = Integer.parseInt(CallerIds.fields(q).get(0));
            } catch (NumberFormatException e) {
                rssi = 99;
            }
        }
        applyRegistration(stat, rssi);
    }

    private void applyRegistration(int stat, int rssi) {
        registered = stat == 1 || stat == 5;
        registration = switch (stat) {
            case 0 -> "not registered, not searching";
            case 1 -> "registered, home network";
            case 2 -> "not registered, searching";
            case 3 -> "registration denied";
            case 5 -> "registered, roaming";
            default -> "unknown (+CREG " + stat + ")";
        };
        if (rssi != 99) {
            signalPercent = Math.min(100, rssi * 100 / 31);
        } else {
            signalPercent = -1;
        }
        fact("Network", registration + (rssi == 99 ? ", signal unknown" : ", signal " + rssi + "/31 (" + (2 * rssi - 113) + " dBm)"));
        if (!registered) {
            setHealth(LineHealth.OFFLINE, "network: " + registration);
        } else if (rssi != 99 && rssi <= WEAK_RSSI) {
            setHealth(LineHealth.DEGRADED, "weak signal: " + rssi + "/31 (" + (2 * rssi - 113) + " dBm)");
        } else if (audioAbsent()) {
            setHealth(LineHealth.DEGRADED, "audio absent: audio-port is none");
        } else if (!audioProblem.isEmpty()) {
            setHealth(LineHealth.DEGRADED, audioProblem);
        } else if (health() != LineHealth.DEGRADED || status().reason().startsWith("weak") || status().reason().startsWith("audio")) {
            setHealth(LineHealth.ONLINE, "");
        }
    }

    // ---------------------------------------------------------------- events

    @Override
    public void unsolicited(String line) {
        if (line.equals("RING") || line.startsWith("+CRING:")) {
            ringArrivedNanos = System.nanoTime();
        }
        super.unsolicited(line);
    }

    @Override
    protected void onUnsolicited(String line) {
        GsmCall c = current();
        if (line.equals("RING") || line.startsWith("+CRING:")) {
            ring();
        } else if (line.startsWith("+CLIP:")) {
            if (c != null && c.state == State.RINGING) {
                c.signals.callerId(CallerIds.clip(line));
            }
        } else if (line.startsWith("+CREG:")) {
            List<String> f = CallerIds.fields(line.substring(6).trim());
            try {
                int stat = Integer.parseInt(f.get(f.size() == 1 || f.size() == 3 ? 0 : 1));
                applyRegistration(stat, signalPercent < 0 ? 99 : signalPercent * 31 / 100);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                problem("unreadable " + line);
            }
        } else if (AtEngine.isUnsolicited(line)) {
            LOG.debug("{}: {} ignored", id, line);
        } else if (c != null) {
            switch (line) {
                case "NO CARRIER" -> farEndHangup(c, c.state == State.DIALING && !c.alerted ? HangupCause.CALL_REJECTED
                        : HangupCause.NORMAL_CLEARING, "NO CARRIER");
                case "BUSY" -> farEndHangup(c, HangupCause.USER_BUSY, "busy");
                case "NO ANSWER" -> farEndHangup(c, HangupCause.NO_ANSWER, "no answer");
                default -> LOG.debug("{}: {} ignored", id, line);
            }
        }
    }

    @Override
    public void dleEvent(char c) {
        problem("a DLE event (" + (int) c + ") from a GSM module");
    }

    @Override
    public void voiceData(byte[] buf, int off, int len) {
        problem("voice data on the AT port of a GSM module");
    }

    @Override
    public void voiceEnded() {
        // GSM modules carry no voice on the AT port
    }

    private void ring() {
        ring(() -> new GsmCall(true, State.RINGING), CallerId.UNKNOWN);
    }

    // ---------------------------------------------------------------- calls

    @Override
    protected void answerCall(LineCall c) {
        if (call.get() != c || c.state != State.RINGING) {
            return;
        }
        c.state = State.ANSWERING;
        try {
            AtResponse r = at.command("ATA", 10_000);
            if (!r.ok()) {
                farEndHangup(c, r.result().equals("NO CARRIER") ? HangupCause.NORMAL_CLEARING : HangupCause.NORMAL_TEMPORARY_FAILURE,
                        "ATA: " + r.result());
                return;
            }
            talking(c);
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, e.getMessage());
        }
    }

    private void talking(LineCall c) {
        cancelWatch();
        openAudio((GsmCall) c);
        c.state = State.TALKING;
        c.signals.answered();
    }

    /** Opens the module's PCM port for the call; a missing port leaves the call up without audio. */
    private void openAudio(GsmCall c) {
        if (audioAbsent()) {
            return;
        }
        String path = spec.get("audio-port").equals("sim") ? "sim-audio" : spec.get("audio-port");
        try {
            if (path.startsWith("/") && !Files.exists(Path.of(path))) {
                throw new IOException("audio port " + path + " missing");
            }
            SerialIo io = opener.open(path, Integer.parseInt(spec.get("baud")), "none");
            c.audio = io;
            c.voice.start(io::write);
            Thread t = new Thread(() -> {
                byte[] buf = new byte[1024];
                while (call.get() == c || c.state == State.TALKING) {
                    int n = io.read(buf, 0, buf.length);
                    if (n < 0) {
                        break;
                    }
                    c.voice.received(buf, 0, n);
                }
            }, "switchboard-serial-audio-" + id);
            t.setDaemon(true);
            c.audioReader = t;
            t.start();
            if (!audioProblem.isEmpty()) {
                audioProblem = "";
                setHealth(LineHealth.ONLINE, "");
            }
        } catch (IOException e) {
            audioProblem = "no audio: " + e.getMessage();
            LOG.warn("{}: the call goes on without audio: {}", id, e.getMessage());
            setHealth(LineHealth.DEGRADED, audioProblem);
        }
    }

    @Override
    protected void stopLocal(LineCall c) {
        closeAudio((GsmCall) c);
    }

    private void closeAudio(GsmCall c) {
        c.voice.stop();
        c.state = null;
        SerialIo io = c.audio;
        c.audio = null;
        if (io != null) {
            io.close();
        }
        Thread t = c.audioReader;
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected void hangUpDevice(LineCall c) {
        AtEngine a = at;
        if (a == null) {
            return;
        }
        try {
            AtResponse r = a.command("AT+CHUP", 5000);
            if (!r.ok()) {
                a.command("ATH", 5000);
            }
        } catch (AtException e) {
            LOG.warn("{}: hanging up the module failed: {}", id, e.getMessage());
            if (!e.portGone()) {
                reconnect("hang-up not confirmed: " + e.getMessage());
            }
        }
    }

    @Override
    protected void sendKeys(LineCall c, String keys) {
        if (call.get() != c || c.state != State.TALKING) {
            return;
        }
        try {
            for (char k : keys.toCharArray()) {
                AtResponse r = at.command("AT+VTS=" + k, 3000);
                if (!r.ok()) {
                    LOG.warn("{}: the module refused to send key {}: {}", id, k, r.result());
                    return;
                }
            }
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, "sending keys: " + e.getMessage());
        }
    }

    @Override
    public DriverChannel dial(String number, CallerId presented, ChannelSignals signals) throws LineUnavailableException {
        if (!number.matches("\\+?[0-9*#]{1,32}")) {
            throw new LineUnavailableException("line " + id + " cannot dial '" + number + "': allowed are 1-32 of 0-9 * # with an optional leading +");
        }
        if (health() == LineHealth.OFFLINE) {
            throw new LineUnavailableException("line " + id + " is offline: " + status().reason());
        }
        GsmCall c = new GsmCall(false, State.DIALING);
        c.signals = signals;
        if (!call.compareAndSet(null, c)) {
            throw new LineUnavailableException("line " + id + " is busy");
        }
        calls.incrementAndGet();
        onControl(() -> dialOut(c, number, presented));
        return c;
    }

    private void dialOut(GsmCall c, String number, CallerId presented) {
        if (call.get() != c) {
            return;
        }
        try {
            // CLIR per call: I suppresses our number, i presents it (27.007 D command modifiers)
            String clir = presented.presentation() == CallerId.Presentation.RESTRICTED ? "I" : "";
            AtResponse r = at.command("ATD" + number + clir + ";", 10_000);
            if (!r.ok()) {
                failCall(c, r.result().equals("BUSY") ? HangupCause.USER_BUSY : r.result().equals("NO CARRIER")
                        ? HangupCause.NETWORK_OUT_OF_ORDER : HangupCause.NORMAL_TEMPORARY_FAILURE, "ATD: " + r.describe());
                return;
            }
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, e.getMessage());
            return;
        }
        watch(() -> progress(c), CLCC_MS);
    }

    /** AT+CLCC while dialling: 2 dialling, 3 alerting, 0 active; the call gone means it ended. */
    private void progress(GsmCall c) {
        if (call.get() != c || c.state != State.DIALING) {
            return;
        }
        try {
            AtResponse r = at.command("AT+CLCC", COMMAND_MS);
            Integer stat = null;
            for (String l : r.lines()) {
                if (l.startsWith("+CLCC:")) {
                    List<String> f = CallerIds.fields(l.substring(6).trim());
                    if (f.size() > 3 && f.get(1).equals("0") && f.get(3).equals("0")) { // outgoing voice call
                        stat = Integer.parseInt(f.get(2));
                    }
                }
            }
            if (stat == null) {
                farEndHangup(c, c.alerted ? HangupCause.NORMAL_CLEARING : HangupCause.CALL_REJECTED, "the call is gone from AT+CLCC");
            } else if (stat == 3 && !c.alerted) {
                c.alerted = true;
                c.signals.alerting();
            } else if (stat == 0) {
                talking(c);
            }
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, e.getMessage());
        } catch (NumberFormatException e) {
            problem("unreadable AT+CLCC answer");
        }
    }

    // ---------------------------------------------------------------- SMS

    /** Sends one SMS in text mode; completes with the network's reference. */
    public CompletableFuture<SmsReceipt> sendSms(String number, String text) {
        CompletableFuture<SmsReceipt> f = new CompletableFuture<>();
        if (!number.matches("\\+?[0-9]{1,20}")) {
            f.completeExceptionally(new SmsException("'" + number + "' is not a phone number; allowed: 1-20 digits, optionally with a leading +"));
            return f;
        }
        boolean ascii = text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F && "`[]{}\\^~|".indexOf(ch) < 0 || ch == '\n');
        int max = ascii ? 160 : 70;
        if (text.isEmpty() || text.length() > max) {
            f.completeExceptionally(new SmsException("the text has " + text.length() + " characters; allowed: 1 to " + max
                    + (ascii ? "" : " (it is not plain ASCII, so it goes as UCS-2)")));
            return f;
        }
        onControl(() -> {
            try {
                AtEngine a = at;
                if (a == null || !registered) {
                    throw new SmsException("line " + id + " cannot send: " + (a == null ? status().reason() : registration));
                }
                expectOk(a, "AT+CMGF=1", "SMS text mode");
                expectOk(a, ascii ? "AT+CSCS=\"GSM\"" : "AT+CSCS=\"UCS2\"", "character set");
                expectOk(a, ascii ? "AT+CSMP=17,167,0,0" : "AT+CSMP=17,167,0,8", "SMS parameters");
                String to = ascii ? number : ucs2(number);
                AtResponse prompt = a.promptCommand("AT+CMGS=\"" + to + "\"", 10_000);
                if (!prompt.result().equals(">")) {
                    throw new SmsException("the module refused the recipient: " + prompt.result());
                }
                AtResponse r = a.promptText(ascii ? text : ucs2(text), (char) 0x1A, 60_000);
                if (!r.ok()) {
                    throw new SmsException("the network refused the message: " + r.result());
                }
                String ref = r.value("+CMGS:");
                smsSent++;
                f.complete(new SmsReceipt(id, ref == null ? -1 : Integer.parseInt(ref.trim())));
            } catch (AtException e) {
                f.completeExceptionally(new SmsException("line " + id + ": " + e.getMessage()));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    static String ucs2(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_16BE)) {
            b.append(String.format("%02X", x));
        }
        return b.toString();
    }

    public boolean registered() {
        return registered;
    }

    @Override
    protected void moreDetails(Map<String, String> d) {
        GsmCall c = current();
        LineCall.State s = c == null ? null : c.state;
        d.put("Call state", c == null || s == null ? "none" : (c.inbound ? "inbound, " : "outbound, ") + s.name().toLowerCase()
                + (s == State.RINGING ? " (" + rings + " rings)" : ""));
        if (c != null && s == State.TALKING) {
            d.put("Audio", audioAbsent() ? "absent" : c.voice.stats());
        }
        d.put("SMS sent", Long.toString(smsSent));
        long r = ringToPublishNanos;
        if (r >= 0) {
            d.put("Last RING to ringing", String.format("%.2f ms", r / 1e6));
        }
    }
}
