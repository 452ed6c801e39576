package org.switchboard.media.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.core.api.AudioSource;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.Playback;
import org.switchboard.core.internal.CallEngine;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.media.codec.G711;
import org.switchboard.media.rtp.RtpStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two RTP legs bridged by the real call engine and its media clock: packets are relayed straight
 * through while nothing needs frames, frames take over for a prompt, and the relay comes back.
 */
class BridgeRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private CallEngine core;
    private RtpEngineImpl rtp;
    private DatagramChannel peerA;
    private DatagramChannel peerB;
    private RtpStream a;
    private RtpStream b;

    /** A driver whose legs' media are RTP streams. */
    private final class RtpLeg implements DriverChannel {
        final RtpStream stream;
        ChannelSignals signals;

        RtpLeg(RtpStream stream) {
            this.stream = stream;
        }

        @Override
        public void answer() {
            signals.answered();
        }

        @Override
        public void hangup(HangupCause cause) {
            stream.close();
        }

        @Override
        public MediaPort media() {
            return stream;
        }
    }

    private final Line line = new Line() {
        @Override
        public String id() {
            return "rtp";
        }

        @Override
        public String cardId() {
            return "test";
        }

        @Override
        public LineKind kind() {
            return LineKind.SIP_TRUNK;
        }

        @Override
        public String number() {
            return "";
        }

        @Override
        public LineStatus status() {
            return LineStatus.online(Instant.EPOCH);
        }

        @Override
        public DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) {
            RtpLeg leg = new RtpLeg(b);
            leg.signals = signals;
            signals.answered();
            return leg;
        }
    };

    @BeforeEach
    void start() throws Exception {
        core = CallEngine.standalone(2, java.time.Duration.ofSeconds(60));
        core.addLine(line);
        rtp = new RtpEngineImpl(core, new MediaOptions(44000, 44100, 20, 200, 0, 2, 0));
        peerA = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        peerB = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        peerA.configureBlocking(false);
        peerB.configureBlocking(false);
        a = rtp.open("a", LOOPBACK);
        b = rtp.open("b", LOOPBACK);
        a.remote((InetSocketAddress) peerA.getLocalAddress());
        b.remote((InetSocketAddress) peerB.getLocalAddress());
    }

    @AfterEach
    void stop() throws Exception {
        rtp.deactivate();
        core.deactivate();
        peerA.close();
        peerB.close();
    }

    private static void until(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private int seq;

    private void send(DatagramChannel from, RtpStream to, int ssrc, byte fill) throws Exception {
        byte[] p = new byte[172];
        RtpHeader.write(p, false, 0, seq, seq * 160, ssrc);
        java.util.Arrays.fill(p, 12, 172, fill);
        from.send(ByteBuffer.wrap(p), to.local());
        seq++;
    }

    /** The packets the peer got since last asked, as payload bytes at index 80 (or -1 for none). */
    private static byte[] receiveOne(DatagramChannel ch) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        if (ch.receive(buf) == null) {
            return null;
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    @Test
    void bridgedRtpLegsRelayPacketsAndGoBackToFramesForAPrompt() throws Exception {
        RtpLeg legA = new RtpLeg(a);
        legA.signals = core.inbound("rtp", CallerId.of("1001"), "2000", legA);
        until("the call", () -> !core.calls().isEmpty());
        Call call = core.calls().iterator().next();
        Channel chA = call.origin();
        core.answer(chA).toCompletableFuture().get();
        Channel chB = core.originate(call, "rtp", "2000", CallerId.of("1001")).toCompletableFuture().get();
        until("B is up", () -> chB.state() == ChannelState.ANSWERED);
        core.bridge(chA, chB, true).toCompletableFuture().get();
        until("the legs relay", () -> chA.mediaRelayed() && chB.mediaRelayed());

        // A's peer talks: B's peer gets the same bytes, re-stamped as stream B's own
        byte code = G711.linearToUlaw((short) 5000);
        byte[][] got = new byte[1][];
        until("a relayed packet at B's peer", () -> {
            try {
                send(peerA, a, 0xAAAA, code);
                return (got[0] = receiveOne(peerB)) != null;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(got[0][12 + 80]).isEqualTo(code);
        assertThat(RtpHeader.ssrc(got[0])).as("re-stamped with B's SSRC").isNotEqualTo(0xAAAA);
        assertThat(chA.framesIn()).as("no frames while relaying").isZero();

        // a prompt to A: frames again, the prompt reaches A's peer, then the relay resumes
        AudioSource prompt = new AudioSource() {
            int n;

            @Override
            public boolean read(short[] frame) {
                java.util.Arrays.fill(frame, (short) -7000);
                return n++ < 10;
            }
        };
        Playback p = core.play(chA, prompt, false);
        until("frames while the prompt plays", () -> !chA.mediaRelayed());
        byte promptCode = G711.linearToUlaw((short) -7000);
        until("the prompt at A's peer", () -> {
            try {
                byte[] pkt = receiveOne(peerA);
                return pkt != null && pkt[12 + 80] == promptCode;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(p.done().toCompletableFuture().get()).isEqualTo(Playback.End.COMPLETED);
        until("the relay again", () -> chA.mediaRelayed() && chB.mediaRelayed());

        core.hangup(call, HangupCause.NORMAL_CLEARING).toCompletableFuture().get();
        until("both streams closed", () -> rtp.streams().isEmpty() && rtp.ports().inUse() == 0);
    }
}
