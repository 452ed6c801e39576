package org.switchboard.line.serial.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
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
import org.switchboard.line.serial.internal.at.AtEngine;
import org.switchboard.line.serial.internal.at.AtException;
import org.switchboard.line.serial.internal.at.AtResponse;
import org.switchboard.line.serial.internal.at.Dle;
import org.switchboard.line.serial.internal.audio.VoicePath;

/**
 * An analog PSTN line through an ITU-T V.253 voice modem (AT+FCLASS=8): caller ID, rings,
 * off-hook, full-duplex voice with DLE shielding (AT+VTR; AT+VTX where the modem has no duplex),
 * keys and call-progress tones as DLE events, dialling, AT+VTS.
 */
public final class ModemLine extends SerialLine {

    /** Caller ID heard this long before a RING belongs to no call any more. */
    static final long CALLER_ID_STALE_MS = 10_000;
    static final long DIAL_MS = 90_000;

    private final boolean ulawCountry;
    private final CallerIds.Collector callerId = new CallerIds.Collector();
    private long callerIdAt;
    private volatile VoiceModes.Method method;
    private volatile boolean duplex = true;


    /** One call on the line. */
    final class ModemCall extends LineCall {
        /** Set while the box leaves voice mode on purpose (to send keys): the end of voice is no hang-up. */
        volatile boolean pausing;

        ModemCall(boolean inbound, State state) {
            super(ModemLine.this, inbound, state, c -> new VoicePath(id, method.format(), true, null));
        }
    }

    private ModemCall current() {
        return (ModemCall) call.get();
    }

    ModemLine(UnitSpec spec, String cardId, ChannelPublisher publisher, ScheduledExecutorService timer, PortOpener opener,
              boolean ulawCountry) {
        super(spec, cardId, publisher, timer, opener);
        this.ulawCountry = ulawCountry;
    }

    @Override
    public LineKind kind() {
        return LineKind.ANALOG;
    }

    // ---------------------------------------------------------------- initialisation

    @Override
    protected String initialise(AtEngine at) throws AtException {
        AtResponse z = at.command("ATZ", 5000);
        if (!z.ok()) {
            return "the modem refused ATZ (" + z.result() + ")";
        }
        expectOk(at, "ATE0", "echo off");
        at.command("ATV1", COMMAND_MS);
        fact("Modem", model(at));
        AtResponse classes = at.command("AT+FCLASS=?", COMMAND_MS);
        String list = String.join(",", classes.lines()).replace("(", "").replace(")", "").replace("+FCLASS:", "");
        boolean voice = false;
        for (String c : list.split(",")) {
            if (c.trim().equals("8") || c.trim().startsWith("8.")) {
                voice = true;
            }
        }
        if (!classes.ok() || !voice) {
            return "not a voice modem: AT+FCLASS=? offers " + (list.isBlank() ? classes.result() : list) + ", without 8 (V.253 voice)";
        }
        expectOk(at, "AT+FCLASS=8", "voice mode");
        AtResponse vcid = at.command("AT+VCID=1", COMMAND_MS);
        fact("Caller ID", vcid.ok() ? "on (AT+VCID=1)" : "not offered by the modem (" + vcid.result() + ")");
        AtResponse vsm = at.command("AT+VSM=?", COMMAND_MS);
        List<VoiceModes.Method> methods = VoiceModes.parse(vsm.lines());
        VoiceModes.Method m = VoiceModes.choose(methods, Integer.parseInt(spec.get("baud")), ulawCountry);
        if (!vsm.ok() || m == null) {
            return "no usable voice format: AT+VSM=? offers " + (methods.isEmpty() ? vsm.result()
                    : methods.stream().map(x -> x.id() + " " + x.name() + " " + x.bits() + "-bit").toList())
                    + "; the box needs 8 kHz u-law, A-law, 8-bit unsigned or 16-bit linear";
        }
        expectOk(at, "AT+VSM=" + m.id() + ",8000", "voice format");
        method = m;
        fact("Voice format", m.format().label() + " at 8 kHz (AT+VSM=" + m.id() + " \"" + m.name() + "\")");
        duplex = at.command("AT+VTR=?", COMMAND_MS).ok();
        fact("Duplex", duplex ? "full (AT+VTR)" : "half: AT+VTX only; the box is heard and keys arrive, the caller's voice does not");
        expectOk(at, "AT+VLS=0", "on hook");
        String init = runProfileInit(at);
        if (init != null) {
            return init;
        }
        setHealth(LineHealth.ONLINE, "");
        return null;
    }

    static String model(AtEngine at) throws AtException {
        AtResponse maker = at.command("AT+GMI", COMMAND_MS);
        AtResponse model = at.command("AT+GMM", COMMAND_MS);
        String s = ((maker.ok() ? String.join(" ", maker.lines()) : "") + " " + (model.ok() ? String.join(" ", model.lines()) : "")).trim();
        return s.isEmpty() ? "unknown (no AT+GMI/AT+GMM)" : s;
    }

    @Override
    protected int pollSeconds() {
        return 60;
    }

    @Override
    protected void checkHealth(AtEngine at) throws AtException {
        if (busy()) {
            return;
        }
        AtResponse r = at.command("AT", COMMAND_MS);
        if (!r.ok()) {
            throw new AtException("the modem answered AT with " + r.result(), false);
        }
    }

    // ---------------------------------------------------------------- events from the modem

    @Override
    public void unsolicited(String line) {
        if (line.equals("RING")) {
            ringArrivedNanos = System.nanoTime();
        }
        super.unsolicited(line);
    }

    @Override
    protected void onUnsolicited(String line) {
        if (line.equals("RING")) {
            ring();
        } else if (callerId.accept(line)) {
            callerIdAt = System.currentTimeMillis();
            ModemCall c = current();
            if (callerId.complete() && c != null && c.state == State.RINGING && (line.startsWith("NMBR") || line.startsWith("NAME"))) {
                c.signals.callerId(callerId.callerId());
            }
        } else if (AtEngine.isUnsolicited(line)) {
            LOG.debug("{}: {} ignored", id, line);
        } else {
            ModemCall c = current();
            if (c != null && c.state == State.TALKING && line.equals("NO CARRIER")) {
                farEndHangup(c, HangupCause.NORMAL_CLEARING, "NO CARRIER");
            }
        }
    }

    @Override
    public void dleEvent(char c) {
        ModemCall mc = current();
        if (mc != null && mc.state == State.TALKING && isKey(c)) {
            mc.signals.dtmf(c, 100); // straight from the reader thread: ChannelSignals never blocks
            return;
        }
        onControl(() -> onDle(c));
    }

    static boolean isKey(char c) {
        return c >= '0' && c <= '9' || c == '*' || c == '#' || c >= 'A' && c <= 'D';
    }

    private void onDle(char e) {
        ModemCall c = current();
        switch (e) {
            case 'R' -> ring();
            case 'l' -> farEndHangup(c, HangupCause.NORMAL_CLEARING, "loop current dropped");
            case 'd' -> farEndHangup(c, HangupCause.NORMAL_CLEARING, "dial tone: the far end hung up");
            case 'b' -> farEndHangup(c, c != null && c.state == State.DIALING ? HangupCause.USER_BUSY : HangupCause.NORMAL_CLEARING,
                    "busy tone");
            case 's', 'q' -> farEndHangup(c, HangupCause.NORMAL_UNSPECIFIED, "silence on the line (<DLE>" + e + ")");
            case 'r' -> {
                if (c != null && c.state == State.DIALING) {
                    c.signals.alerting();
                }
            }
            default -> LOG.debug("{}: <DLE>{} ignored", id, e);
        }
    }

    @Override
    public void voiceData(byte[] buf, int off, int len) {
        ModemCall c = current();
        if (c != null) {
            c.voice.received(buf, off, len);
        }
    }

    @Override
    public void voiceEnded() {
        ModemCall ended = current();
        if (ended == null || ended.pausing) {
            return;
        }
        onControl(() -> {
            ModemCall c = current();
            if (c == ended && c.state == State.TALKING) {
                farEndHangup(c, HangupCause.NORMAL_CLEARING, "the modem left voice mode");
            }
        });
    }

    private void ring() {
        if (call.get() == null && System.currentTimeMillis() - callerIdAt > CALLER_ID_STALE_MS) {
            callerId.clear();
        }
        ring(() -> method == null ? null : new ModemCall(true, State.RINGING), callerId.callerId());
    }

    // ---------------------------------------------------------------- what the core asks

    @Override
    protected void answerCall(LineCall c) {
        if (call.get() != c || c.state != State.RINGING) {
            return;
        }
        c.state = State.ANSWERING;
        try {
            AtResponse r = at.command("AT+VLS=1", 5000);
            if (!r.ok()) {
                failCall(c, HangupCause.NORMAL_TEMPORARY_FAILURE, "off hook refused: " + r.describe());
                return;
            }
            startVoice(c);
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, e.getMessage());
        }
    }

    private boolean startVoice(LineCall c) throws AtException {
        AtEngine a = at;
        AtResponse r = a.voiceCommand(duplex ? "AT+VTR" : "AT+VTX", 5000);
        if (!r.result().startsWith("CONNECT")) {
            failCall(c, HangupCause.NORMAL_TEMPORARY_FAILURE, "voice mode refused: " + r.describe());
            return false;
        }
        c.voice.start(a::write);
        boolean first = c.state != State.TALKING;
        c.state = State.TALKING;
        if (first) {
            c.signals.answered();
        }
        return true;
    }

    /** Back on hook: voice mode left, ATH. */
    @Override
    protected void hangUpDevice(LineCall c) {
        callerId.clear();
        AtEngine a = at;
        if (a == null) {
            return;
        }
        try {
            if (c.state == State.DIALING) {
                a.abort();
                a.awaitIdle(3000);
            }
            if (a.inVoice()) {
                a.endVoice((char) Dle.ETX, 3000);
            }
            a.command("ATH", 5000);
        } catch (AtException | IOException e) {
            LOG.warn("{}: hanging up the modem failed: {}", id, e.getMessage());
            if (!(e instanceof AtException ae && ae.portGone())) {
                reconnect("hang-up not confirmed: " + e.getMessage());
            }
        }
    }

    /** A far end that hung up leaves the modem off hook: back on hook. */
    @Override
    protected void afterFarEnd(LineCall c) {
        hangUpDevice(c);
    }

    @Override
    protected void sendKeys(LineCall lc, String keys) {
        ModemCall c = (ModemCall) lc;
        if (call.get() != c || c.state != State.TALKING) {
            return;
        }
        try {
            c.voice.mute(true);
            c.pausing = true;
            at.endVoice((char) Dle.ETX, 3000);
            AtResponse r = at.command("AT+VTS=" + String.join(",", keys.split("")), 2000 + 300L * keys.length());
            if (!r.ok()) {
                LOG.warn("{}: the modem refused to send keys {}: {}", id, keys, r.result());
            }
            startVoice(c);
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, "sending keys: " + e.getMessage());
        } finally {
            c.voice.mute(false);
            c.pausing = false;
        }
    }

    @Override
    public DriverChannel dial(String number, CallerId presented, ChannelSignals signals) throws LineUnavailableException {
        if (!number.matches("[0-9*#,]{1,32}")) {
            throw new LineUnavailableException("line " + id + " cannot dial '" + number + "': allowed are 1-32 of 0-9 * # and , (pause)");
        }
        if (health() == LineHealth.OFFLINE || method == null) {
            throw new LineUnavailableException("line " + id + " is offline: " + status().reason());
        }
        ModemCall c = new ModemCall(false, State.DIALING);
        c.signals = signals;
        if (!call.compareAndSet(null, c)) {
            throw new LineUnavailableException("line " + id + " is busy");
        }
        calls.incrementAndGet();
        onControl(() -> dialOut(c, number));
        return c;
    }

    private void dialOut(ModemCall c, String number) {
        if (call.get() != c) {
            return;
        }
        try {
            AtResponse r = at.command("AT+VLS=1", 5000);
            if (!r.ok()) {
                failCall(c, HangupCause.NORMAL_TEMPORARY_FAILURE, "off hook refused: " + r.describe());
                return;
            }
        } catch (AtException e) {
            failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, e.getMessage());
            return;
        }
        c.signals.alerting(); // analog lines report no progress: from here on the number is being called
        at.commandAsync("ATDT" + number, DIAL_MS).whenComplete((r, e) -> onControl(() -> {
            if (call.get() != c || c.state != State.DIALING) {
                return;
            }
            if (e != null) {
                failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, "dialling " + number + ": " + e.getMessage());
                return;
            }
            switch (r.result()) {
                case "VCON", "OK", "CONNECT" -> {
                    try {
                        startVoice(c);
                    } catch (AtException x) {
                        failCall(c, HangupCause.RECOVERY_ON_TIMER_EXPIRE, x.getMessage());
                    }
                }
                case "BUSY" -> farEndHangup(c, HangupCause.USER_BUSY, "busy");
                case "NO ANSWER" -> farEndHangup(c, HangupCause.NO_ANSWER, "no answer");
                case "NO DIALTONE", "NO DIAL TONE" -> farEndHangup(c, HangupCause.NETWORK_OUT_OF_ORDER, "no dial tone on the line");
                case "NO CARRIER" -> farEndHangup(c, HangupCause.NORMAL_CLEARING, "NO CARRIER");
                default -> failCall(c, HangupCause.NORMAL_TEMPORARY_FAILURE, "dialling " + number + ": " + r.describe());
            }
        }));
    }

    @Override
    protected void moreDetails(Map<String, String> d) {
        ModemCall c = current();
        d.put("Call state", c == null ? "none" : (c.inbound ? "inbound, " : "outbound, ") + c.state.name().toLowerCase()
                + (c.state == State.RINGING ? " (" + rings + " rings)" : ""));
        if (c != null && c.state == State.TALKING) {
            d.put("Audio", c.voice.stats());
        }
        long r = ringToPublishNanos;
        if (r >= 0) {
            d.put("Last RING to ringing", String.format("%.2f ms", r / 1e6));
        }
    }
}
