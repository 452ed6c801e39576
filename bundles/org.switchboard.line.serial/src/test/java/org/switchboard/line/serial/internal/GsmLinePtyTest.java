package org.switchboard.line.serial.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
import org.switchboard.hw.api.UnitSpec;
import org.switchboard.line.serial.api.SmsSender.SmsReceipt;
import org.switchboard.line.serial.internal.at.JSerialCommIo;
import org.switchboard.line.serial.internal.sim.PtyPair;
import org.switchboard.line.serial.internal.sim.SimulatedGsm;
import org.switchboard.line.serial.internal.sim.SimulatedModem;

/**
 * A GSM line over real pseudo-terminals: the module's AT port and its PCM audio port, each a
 * socat pair, with the simulated module and caller behind them.
 */
class GsmLinePtyTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    PtyPair at;
    PtyPair audio;
    SimulatedGsm module;
    GsmLine line;
    Recorder core = new Recorder();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void plug() throws Exception {
        at = new PtyPair(dir.resolve("ttyAT"), dir.resolve("devAT")).start();
        audio = new PtyPair(dir.resolve("ttyPCM"), dir.resolve("devPCM")).start();
        module = new SimulatedGsm("gsm-1", at.deviceSide(), audio.deviceSide()).start();
    }

    @AfterEach
    void unplug() {
        if (line != null) {
            line.stop(HangupCause.NORMAL_CLEARING);
        }
        module.close();
        at.stop();
        audio.stop();
        timer.shutdownNow();
    }

    GsmLine startLine(String audioPort) {
        UnitSpec spec = new UnitSpec("gsm-1", Map.of("id", "gsm-1", "port", at.boxSide().toString(), "baud", "115200",
                "flow-control", "none", "number", "13800000001", "init", "", "audio-port", audioPort));
        line = new GsmLine(spec, "gsm", core, timer, JSerialCommIo::open);
        line.start();
        return line;
    }

    void awaitHealth(LineHealth h) {
        Poll.until("line " + h, WAIT, () -> line.status().health() == h, () -> line.status().toString());
    }

    @Test
    void incomingCallWithClipIsAnsweredCarriesPcmBothWaysDetectsKeysAndEndsOnNoCarrier() throws Exception {
        startLine(audio.boxSide().toString());
        awaitHealth(LineHealth.ONLINE);
        assertThat(line.status().signal().getAsInt()).isEqualTo(20 * 100 / 31);
        assertThat(line.details().get("Network")).contains("registered, home network");

        module.ring("13912345678");
        assertThat(core.next("inbound", WAIT)).isEqualTo("inbound unknown to 13800000001");
        assertThat(core.next("callerId", WAIT)).isEqualTo("callerId 13912345678 ALLOWED");
        DriverChannel ch = core.lastInbound();
        ch.answer();
        core.next("answered", WAIT);
        try (FakeClock clock = new FakeClock(ch.media())) {
            Poll.until("the box hears the caller", WAIT, () -> clock.framesRead > 25 && clock.peakRead > 5000);
            Poll.until("the caller hears the box", WAIT, () -> module.framesHeard() > 25 && module.peakHeard() > 4000,
                    () -> "heard " + module.framesHeard() + " peak " + module.peakHeard());
            module.keys("47");
            assertThat(core.next("dtmf", WAIT)).isEqualTo("dtmf 4");
            assertThat(core.next("dtmf", WAIT)).isEqualTo("dtmf 7");
            ch.sendDtmf("1#");
            Poll.until("AT+VTS sent", WAIT, () -> module.keysFromBox().equals("1#"));
            module.hangup();
            assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp 16");
        }
        assertThat(line.busy()).isFalse();
    }

    @Test
    void withheldNumberAndACallerWhoGivesUp() throws Exception {
        startLine("none");
        awaitHealth(LineHealth.DEGRADED);
        assertThat(line.status().reason()).contains("audio absent");
        module.ring(null);
        core.next("inbound", WAIT);
        assertThat(core.next("callerId", WAIT)).isEqualTo("callerId withheld RESTRICTED");
        module.hangup();
        assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp 16");
    }

    @Test
    void dialsOutFollowsProgressAndHangsUp() throws Exception {
        startLine(audio.boxSide().toString());
        awaitHealth(LineHealth.ONLINE);
        DriverChannel ch = line.dial("+8613912345678", CallerId.UNKNOWN, core.signals("out/1"));
        core.next("alerting", WAIT);
        core.next("answered", WAIT);
        assertThat(module.lastDialled()).isEqualTo("+8613912345678");
        assertThat(module.callUp()).isTrue();
        ch.hangup(HangupCause.NORMAL_CLEARING);
        Poll.until("call down", WAIT, () -> !module.callUp() && !line.busy());

        module.outcome(SimulatedModem.Outcome.BUSY);
        line.dial("10086", CallerId.UNKNOWN, core.signals("out/2"));
        assertThat(core.next("hungUp", WAIT)).isEqualTo("hungUp 17");
    }

    @Test
    void sendsSmsInAsciiAndInChinese() throws Exception {
        startLine("none");
        awaitHealth(LineHealth.DEGRADED);
        SmsReceipt r = line.sendSms("13912345678", "You missed a call from 01088880001").get();
        assertThat(r.lineId()).isEqualTo("gsm-1");
        assertThat(r.reference()).isEqualTo(1);
        line.sendSms("13912345678", "请评价本次服务").get();
        assertThat(module.messages()).extracting(SimulatedGsm.Sms::text)
                .containsExactly("You missed a call from 01088880001", GsmLine.ucs2("请评价本次服务"));
        assertThat(module.messages().get(1).to()).isEqualTo(GsmLine.ucs2("13912345678"));
        assertThatThrownBy(() -> line.sendSms("139", "x".repeat(161)).get()).hasMessageContaining("allowed: 1 to 160");
        assertThatThrownBy(() -> line.sendSms("not-a-number", "hi").get()).hasMessageContaining("not a phone number");
    }

    @Test
    void registrationIsTheLineHealth() throws Exception {
        module.registration(2);
        startLine("none");
        Poll.until("offline: searching", WAIT, () -> line.status().reason().contains("searching"), () -> line.status().toString());
        module.registration(1);
        awaitHealth(LineHealth.DEGRADED); // registered; audio absent
        module.signal(3);
        module.registration(5);
        Poll.until("weak signal", WAIT, () -> line.status().reason().contains("audio absent") || line.status().reason().contains("weak"));
    }

    @Test
    void aSimThatWantsItsPinIsOfflineWithTheReason() {
        module.pin("SIM PIN");
        startLine("none");
        Poll.until("offline: pin", WAIT, () -> line.status().reason().contains("+CPIN: SIM PIN"), () -> line.status().toString());
        assertThat(line.status().health()).isEqualTo(LineHealth.OFFLINE);
    }

    @Test
    void aVanishedAudioPortLeavesTheCallUpWithoutAudioAndSaysSo() throws Exception {
        startLine(audio.boxSide().toString());
        awaitHealth(LineHealth.ONLINE);
        audio.stop();
        module.ring("13912345678");
        core.next("inbound", WAIT);
        core.lastInbound().answer();
        core.next("answered", WAIT);
        assertThat(line.status().health()).isEqualTo(LineHealth.DEGRADED);
        assertThat(line.status().reason()).contains("audio port").contains("missing");
    }
}
