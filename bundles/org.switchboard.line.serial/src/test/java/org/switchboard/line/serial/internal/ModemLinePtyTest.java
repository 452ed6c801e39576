package org.switchboard.line.serial.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.hw.api.UnitSpec;
import org.switchboard.line.serial.internal.at.JSerialCommIo;
import org.switchboard.line.serial.internal.sim.PtyPair;
import org.switchboard.line.serial.internal.sim.SimulatedModem;

/**
 * A V.253 line over a real pseudo-terminal pair (socat) with the simulated modem on the far side,
 * through jSerialComm as on a box: calls in with caller ID, audio both ways, keys, the far end
 * hanging up, dialling out, an adapter pulled mid-call and plugged back, and modems that are
 * broken in the ways real ones are.
 */
class ModemLinePtyTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    PtyPair pty;
    SimulatedModem modem;
    ModemLine line;
    Recorder core = new Recorder();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void plug() throws Exception {
        pty = new PtyPair(dir.resolve("ttyBOX"), dir.resolve("ttyMODEM")).start();
        modem = new SimulatedModem("pstn-1", pty.deviceSide()).start();
    }

    @AfterEach
    void unplug() {
        if (line != null) {
            line.stop(HangupCause.NORMAL_CLEARING);
        }
        modem.close();
        pty.stop();
        timer.shutdownNow();
    }

    ModemLine startLine(String id) {
        UnitSpec spec = new UnitSpec(id, Map.of("id", id, "port", pty.boxSide().toString(), "baud", "115200",
                "flow-control", "none", "number", "01088880001", "init", ""));
        line = new ModemLine(spec, "modems", core, timer, JSerialCommIo::open, false);
        line.start();
        return line;
    }

    void awaitOnline() {
        Poll.until("line online", WAIT, () -> line.status().health() == LineHealth.ONLINE, () -> line.status().toString());
    }

    @Test
    void incomingCallWithCallerIdIsAnsweredCarriesAudioAndKeysAndEndsOnLoopDrop() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        assertThat(line.details().get("Voice format")).startsWith("8-bit A-law");

        modem.ring("13800138000", "ZHANG", false);
        assertThat(core.next("inbound", WAIT)).isEqualTo("inbound unknown to 01088880001");
        assertThat(core.next("callerId", WAIT)).isEqualTo("callerId 13800138000 ALLOWED");
        assertThat(core.next("callerId", WAIT)).isEqualTo("callerId 13800138000 \"ZHANG\" ALLOWED");

        DriverChannel ch = core.lastInbound();
        ch.answer();
        core.next("answered", WAIT);
        assertThat(modem.offHook()).isTrue();
        try (FakeClock clock = new FakeClock(ch.media())) {
            Poll.until("the box hears the caller's 1 kHz tone", WAIT, () -> clock.framesRead > 25 && clock.peakRead > 5000);
            Poll.until("the caller hears the box's tone", WAIT, () -> modem.framesHeard() > 25 && modem.peakHeard() > 4000,
                    () -> "heard " + modem.framesHeard() + " peak " + modem.peakHeard());
            modem.keys("12#");
            assertThat(core.next("dtmf", WAIT)).isEqualTo("dtmf 1");
            assertThat(core.next("dtmf", WAIT)).isEqualTo("dtmf 2");
            assertThat(core.next("dtmf", WAIT)).isEqualTo("dtmf #");
            modem.hangup('l');
            assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp 16");
        }
        Poll.until("the modem is back on hook", WAIT, () -> !modem.offHook() && !modem.inVoice());
        assertThat(line.busy()).isFalse();
        assertThat(line.status().health()).isEqualTo(LineHealth.ONLINE);
    }

    @Test
    void withheldNumberBeforeTheFirstRingArrivesWithTheCall() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        modem.ring("P", null, true);
        assertThat(core.next("inbound", WAIT)).isEqualTo("inbound withheld to 01088880001");
    }

    @Test
    void busyToneWhileTalkingEndsTheCallAndACallerWhoGivesUpEndsTheRinging() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        modem.ringInterval(500);
        modem.ring("O", null, true);
        assertThat(core.next("inbound", WAIT)).isEqualTo("inbound unknown to 01088880001");
        modem.stopRinging();
        assertThat(core.next("hungUp", Duration.ofSeconds(15))).isEqualTo("hungUp 16");

        modem.ring("13900000000", null, false);
        core.next("inbound", WAIT);
        core.lastInbound().answer();
        core.next("answered", WAIT);
        modem.hangup('b');
        assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp 16");
    }

    @Test
    void dialsOutSendsKeysAndHangsUp() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        DriverChannel ch = line.dial("12345", CallerId.UNKNOWN, core.signals("out/1"));
        core.next("alerting", WAIT);
        core.next("answered", WAIT);
        assertThat(modem.lastDialled()).isEqualTo("12345");
        ch.sendDtmf("90");
        Poll.until("the modem sent the keys", WAIT, () -> modem.keysFromBox().equals("90"));
        Poll.until("voice again after the keys", WAIT, modem::inVoice);
        assertThatThrownBy(() -> line.dial("555", CallerId.UNKNOWN, core.signals("out/2")))
                .isInstanceOf(LineUnavailableException.class).hasMessageContaining("busy");
        ch.hangup(HangupCause.NORMAL_CLEARING);
        Poll.until("on hook", WAIT, () -> !modem.offHook() && !line.busy());

        modem.outcome(SimulatedModem.Outcome.BUSY);
        line.dial("666", CallerId.UNKNOWN, core.signals("out/3"));
        assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp 17");
        assertThatThrownBy(() -> line.dial("12a", CallerId.UNKNOWN, core.signals("out/4")))
                .isInstanceOf(LineUnavailableException.class).hasMessageContaining("allowed");
    }

    @Test
    void boxHangsUpWhileDiallingAbortsTheDial() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        modem.outcome(SimulatedModem.Outcome.NO_ANSWER);
        DriverChannel ch = line.dial("777", CallerId.UNKNOWN, core.signals("out/1"));
        core.next("alerting", WAIT);
        ch.hangup(HangupCause.NORMAL_CLEARING);
        Poll.until("line free again", WAIT, () -> !line.busy() && !modem.offHook());
        awaitOnline();
    }

    @Test
    void adapterPulledMidCallEndsTheCallAndTheLineComesBackByItself() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        modem.ring("13800138000", null, true);
        core.next("inbound", WAIT);
        core.lastInbound().answer();
        core.next("answered", WAIT);

        pty.stop();
        assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp " + HangupCause.NETWORK_OUT_OF_ORDER.code());
        Poll.until("offline with the reason", WAIT, () -> line.status().health() == LineHealth.OFFLINE
                && (line.status().reason().contains("disappeared") || line.status().reason().contains("missing")), () -> line.status().toString());
        assertThat(line.busy()).isFalse();

        pty.start();
        awaitOnline();
        modem.ring("13800138001", null, true);
        assertThat(core.next("inbound", WAIT)).startsWith("inbound 13800138001");
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("switchboard-serial-rx-pstn-1")).count()).isEqualTo(1);
    }

    @Test
    void aModemWithoutAUsableVoiceFormatIsOfflineWithTheReason() {
        modem.methods(List.of("0,\"SIGNED PCM\",8,0,(8000),(0),(0)", "2,\"ADPCM\",4,0,(8000),(0),(0)"));
        startLine("pstn-1");
        Poll.until("offline: no format", WAIT, () -> line.status().reason().contains("no usable voice format"), () -> line.status().toString());
        assertThat(line.status().reason()).contains("ADPCM");
    }

    @Test
    void aModemThatNeverAnswersIsOfflineAndRecoversWhenItAnswersAgain() {
        modem.deaf = true;
        startLine("pstn-1");
        Poll.until("offline: no answer", WAIT, () -> line.status().reason().contains("no answer to ATZ"), () -> line.status().toString());
        modem.deaf = false;
        awaitOnline();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("switchboard-serial-rx-pstn-1")).count()).isEqualTo(1);
    }

    @Test
    void lineNoiseIsCountedAndDegradesTheLineWithoutBreakingItOrItsNeighbour() throws Exception {
        try (PtyPair otherPty = new PtyPair(dir.resolve("ttyBOX2"), dir.resolve("ttyMODEM2")).start();
             SimulatedModem otherModem = new SimulatedModem("pstn-2", otherPty.deviceSide()).start()) {
            UnitSpec spec = new UnitSpec("pstn-2", Map.of("id", "pstn-2", "port", otherPty.boxSide().toString(), "baud", "115200",
                    "flow-control", "none", "number", "01088880002", "init", ""));
            ModemLine other = new ModemLine(spec, "modems", core, timer, JSerialCommIo::open, false);
            other.start();
            startLine("pstn-1");
            awaitOnline();
            Poll.until("neighbour online", WAIT, () -> other.status().health() == LineHealth.ONLINE);

            modem.noise(new byte[] {(byte) 0xFF, 0x00, (byte) 0x81, 'x', '#', '\r', '\n', 0x07});
            Poll.until("degraded", WAIT, () -> line.status().health() == LineHealth.DEGRADED, () -> line.status().toString());
            assertThat(line.status().reason()).contains("unexpected response");
            assertThat(line.details().get("Port counters")).contains("noise bytes").doesNotContain(" 0 noise bytes");
            assertThat(other.status().health()).isEqualTo(LineHealth.ONLINE);

            modem.ring("13800138000", null, true);
            assertThat(core.next("inbound", WAIT)).isEqualTo("inbound 13800138000 to 01088880001");
            otherModem.ring("13900000002", null, true);
            assertThat(core.next("inbound", WAIT)).isEqualTo("inbound 13900000002 to 01088880002");
            other.stop(HangupCause.NORMAL_CLEARING);
        }
    }

    @Test
    void aFloodOfGarbageReinitialisesTheModemAndItComesBackHealthy() {
        modem.ringInterval(60_000);
        UnitSpec spec = new UnitSpec("pstn-1", Map.of("id", "pstn-1", "port", pty.boxSide().toString(), "baud", "115200",
                "flow-control", "none", "number", "", "init", ""));
        line = new ModemLine(spec, "modems", core, timer, JSerialCommIo::open, false);
        line.pollEvery(1);
        line.start();
        awaitOnline();
        StringBuilder junk = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            junk.append("%$garbage").append(i).append("\r\n");
        }
        modem.noise(junk.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Poll.until("re-initialised", WAIT, () -> line.details().get("Calls").contains("1 re-initialisations"), () -> line.details().toString());
        awaitOnline();
        assertThat(line.status().lastError()).contains("unreadable responses");
    }

    @Test
    void theRawCommandOfATechnicianIsAnsweredAndRefusedDuringACall() throws Exception {
        startLine("pstn-1");
        awaitOnline();
        assertThat(line.raw("AT+GMM").get().lines()).containsExactly("V.253 voice modem");
        modem.ring("13800138000", null, true);
        core.next("inbound", WAIT);
        assertThatThrownBy(() -> line.raw("ATI").get()).hasMessageContaining("carries a call");
    }

    @Test
    void aMissingPortIsOfflineNamingIt() throws Exception {
        Path gone = dir.resolve("ttyNONE");
        UnitSpec spec = new UnitSpec("pstn-9", Map.of("id", "pstn-9", "port", gone.toString(), "baud", "115200",
                "flow-control", "none", "number", "", "init", ""));
        line = new ModemLine(spec, "modems", core, timer, JSerialCommIo::open, false);
        line.start();
        Poll.until("offline: missing", WAIT, () -> line.status().reason().equals("port " + gone + " missing"), () -> line.status().toString());
        assertThat(Files.exists(gone)).isFalse();
    }
}
