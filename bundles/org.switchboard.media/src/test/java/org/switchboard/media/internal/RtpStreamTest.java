package org.switchboard.media.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.core.spi.MediaClock;
import org.switchboard.core.spi.MediaTask;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.G711;
import org.switchboard.media.rtp.RtpException;
import org.switchboard.media.rtp.RtpStats;
import org.switchboard.media.rtp.RtpStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** A stream on real loopback sockets against a peer socket driven by the test. */
class RtpStreamTest {

    /** Media time from the real clock, as the media clock would give it, without its thread. */
    static final class WallClock implements MediaClock {
        final long start = System.nanoTime();

        @Override
        public long currentTick() {
            return (System.nanoTime() - start) / 20_000_000L;
        }

        @Override
        public long startNanos() {
            return start;
        }

        @Override
        public AutoCloseable schedule(MediaTask task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Stats stats() {
            throw new UnsupportedOperationException();
        }
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final WallClock clock = new WallClock();
    private RtpEngineImpl engine;
    private RtpStream stream;
    private DatagramChannel peer;
    private DatagramChannel peerRtcp;
    private final short[] frame = new short[160];
    private int peerSeq = 1000;
    private int peerTs = 50_000;

    @BeforeEach
    void open() throws Exception {
        engine = new RtpEngineImpl(clock, new MediaOptions(41000, 41200, 20, 200, 0, 2, 0));
        stream = engine.open("test/1", LOOPBACK);
        for (int port = 42000; peer == null; port += 2) {
            try {
                DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port));
                try {
                    peerRtcp = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port + 1));
                    peer = a;
                } catch (java.net.BindException e) {
                    a.close();
                }
            } catch (java.net.BindException e) {
                // next pair
            }
        }
        peer.configureBlocking(false);
        peerRtcp.configureBlocking(false);
        stream.remote((InetSocketAddress) peer.getLocalAddress());
    }

    @AfterEach
    void close() throws Exception {
        engine.deactivate();
        peer.close();
        peerRtcp.close();
    }

    private static void until(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private byte[] packet(int pt, boolean marker, int ssrc, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        RtpHeader.write(p, marker, pt, peerSeq, peerTs, ssrc);
        System.arraycopy(payload, 0, p, 12, payload.length);
        peerSeq = (peerSeq + 1) & 0xFFFF;
        return p;
    }

    private void sendAudio(int ssrc, short level, DatagramChannel from) throws Exception {
        short[] pcm = new short[160];
        java.util.Arrays.fill(pcm, level);
        byte[] payload = new byte[160];
        G711.encodeUlaw(pcm, 0, payload, 0, 160);
        from.send(ByteBuffer.wrap(packet(0, peerSeq == 1000, ssrc, payload)), stream.local());
        peerTs += 160;
    }

    /** Reads the stream as the clock would, until it plays something near {@code level}. */
    private boolean heard(short level) {
        if (!stream.read(frame)) {
            return false;
        }
        return Math.abs(frame[80] - level) < Math.abs(level) / 16 + 8;
    }

    @Test
    void audioFromThePeerPlaysAndOursGoesToIt() throws Exception {
        for (int i = 0; i < 10; i++) {
            sendAudio(0x1234, (short) 8000, peer);
        }
        until("the peer's audio plays", () -> heard((short) 8000));

        java.util.Arrays.fill(frame, (short) -4000);
        stream.write(frame);
        stream.write(frame);
        ByteBuffer got = ByteBuffer.allocate(2048);
        until("our packet reaches the peer", () -> receive(peer, got));
        byte[] p = java.util.Arrays.copyOf(got.array(), got.position());
        assertThat(p).hasSize(172);
        assertThat(RtpHeader.payloadType(p)).isEqualTo(0);
        assertThat(RtpHeader.marker(p)).as("first packet of the stream").isTrue();
        assertThat(G711.ulawToLinear(p[12 + 80])).isBetween((short) -4200, (short) -3800);
        got.clear();
        until("the second packet", () -> receive(peer, got));
        byte[] q = java.util.Arrays.copyOf(got.array(), got.position());
        assertThat(RtpHeader.sequence(q)).isEqualTo((RtpHeader.sequence(p) + 1) & 0xFFFF);
        assertThat(RtpHeader.timestamp(q) - RtpHeader.timestamp(p)).isEqualTo(160);
        assertThat(RtpHeader.marker(q)).isFalse();
        assertThat(stream.stats().packetsIn()).isEqualTo(10);
        assertThat(stream.stats().packetsOut()).isEqualTo(2);
    }

    private static boolean receive(DatagramChannel ch, ByteBuffer into) {
        try {
            return ch.receive(into) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void symmetricRtpLatchesOntoWherePacketsComeFrom() throws Exception {
        stream.remote(new InetSocketAddress(LOOPBACK, 9)); // what the SDP said; the phone is behind NAT
        for (int i = 0; i < 5; i++) {
            sendAudio(0x99, (short) 1000, peer);
        }
        until("audio plays", () -> heard((short) 1000));

        assertThat(stream.remote()).contains((InetSocketAddress) peer.getLocalAddress());
        stream.write(frame);
        until("our audio goes back to the real source", () -> receive(peer, ByteBuffer.allocate(2048)));
        assertThat(engine.extra(stream).latches()).isEqualTo(1);
    }

    @Test
    void anIntruderCannotTakeOverATalkingSource() throws Exception {
        for (int i = 0; i < 5; i++) {
            sendAudio(0x1, (short) 2000, peer);
        }
        until("audio plays", () -> heard((short) 2000));
        try (DatagramChannel intruder = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            for (int i = 0; i < 10; i++) {
                sendAudio(0x666, (short) -9000, intruder);
                sendAudio(0x1, (short) 2000, peer);
                long refused = i + 1;
                until("the intruder's packet is refused", () -> {
                    stream.read(frame);
                    return stream.stats().unknownSource() == refused;
                });
            }
        }
        assertThat(stream.remote()).contains((InetSocketAddress) peer.getLocalAddress());
    }

    @Test
    void aNewSsrcTakesOverOnceTheOldOneHasGoneQuiet() throws Exception {
        for (int i = 0; i < 5; i++) {
            sendAudio(0x1, (short) 2000, peer);
        }
        until("the first source plays", () -> heard((short) 2000));
        long quietFrom = clock.currentTick();
        until("the first source is quiet for 300 ms of media time", () -> clock.currentTick() > quietFrom + 15);

        // the phone restarted its stream (transfer, re-INVITE): new SSRC, new sequence, new timestamps
        peerSeq = 40000;
        peerTs = 9_000_000;
        for (int i = 0; i < 6; i++) {
            sendAudio(0x2, (short) -3000, peer);
        }

        until("the new source plays", () -> heard((short) -3000));
        assertThat(stream.stats().unknownSource()).isZero();
        assertThat(stream.stats().lost()).as("the sequence restarted with the source").isZero();
    }

    @Test
    void telephoneEventsBecomeOneKeyEach() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        stream.telephoneEvent(101);
        stream.onDtmf((d, ms) -> keys.add(d + ":" + ms));
        sendAudio(0x42, (short) 100, peer);
        int eventTs = peerTs;
        for (int d = 160; d <= 800; d += 160) {
            peer.send(ByteBuffer.wrap(eventPacket(d == 160, 5, false, d, eventTs)), stream.local());
        }
        for (int i = 0; i < 3; i++) {
            peer.send(ByteBuffer.wrap(eventPacket(false, 5, true, 960, eventTs)), stream.local());
        }

        until("the key", () -> {
            stream.read(frame);
            return !keys.isEmpty();
        });
        for (int i = 0; i < 10; i++) {
            stream.read(frame);
        }
        assertThat(keys).containsExactly("5:120");
    }

    private byte[] eventPacket(boolean marker, int event, boolean end, int duration, int ts) {
        byte[] p = new byte[16];
        RtpHeader.write(p, marker, 101, peerSeq, ts, 0x42);
        peerSeq = (peerSeq + 1) & 0xFFFF;
        p[12] = (byte) event;
        p[13] = (byte) ((end ? 0x80 : 0) | 10);
        p[14] = (byte) (duration >> 8);
        p[15] = (byte) duration;
        return p;
    }

    @Test
    void sentKeysAreRfc4733EventsWithThreeEnds() throws Exception {
        stream.telephoneEvent(101);
        stream.sendDtmf("7");
        for (int i = 0; i < 12; i++) {
            stream.write(frame);
        }
        int events = 0;
        int ends = 0;
        ByteBuffer b = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline && events + ends < 8) {
            b.clear();
            if (peer.receive(b) != null) {
                byte[] p = java.util.Arrays.copyOf(b.array(), b.position());
                if (RtpHeader.payloadType(p) == 101) {
                    assertThat(p[12]).isEqualTo((byte) 7);
                    if ((p[13] & 0x80) != 0) {
                        ends++;
                    } else {
                        events++;
                    }
                }
            } else {
                Thread.sleep(1);
            }
        }
        assertThat(events).isEqualTo(5);
        assertThat(ends).isEqualTo(3);
        assertThatThrownBy(() -> stream.sendDtmf("7x")).hasMessageContaining("'x' is not a DTMF key");
    }

    @Test
    void badDatagramsAreCountedAndTheStreamGoesOn() throws Exception {
        sendAudio(0x5, (short) 3000, peer);
        until("audio", () -> heard((short) 3000));
        InetSocketAddress to = stream.local();
        peer.send(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), to);                      // truncated
        peer.send(ByteBuffer.wrap(new byte[] {0x00, 0x01, 0, 8, 0x21, 0x12, (byte) 0xA4, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), to); // STUN
        byte[] lying = packet(0, false, 0x5, new byte[20]);
        lying[0] = (byte) 0x8F;                                                           // 15 CSRCs that are not there
        peer.send(ByteBuffer.wrap(lying), to);
        peer.send(ByteBuffer.wrap(packet(18, false, 0x5, new byte[20])), to);            // G.729: not ours
        peer.send(ByteBuffer.wrap(new byte[1400]), to);                                  // oversized
        RtpStreamImpl impl = (RtpStreamImpl) stream;
        java.util.Random r = new java.util.Random(1);
        for (int burst = 0; burst < 20; burst++) {
            for (int i = 0; i < 10; i++) {
                byte[] junk = new byte[r.nextInt(200)];
                r.nextBytes(junk);
                peer.send(ByteBuffer.wrap(junk), to);
            }
            // ten datagrams per 20 ms tick is a flood the ring takes; two hundred at once it would drop
            long expected = 5 + 10L * (burst + 1); // the audio, truncated, STUN, lying, G.729 (the oversized one never enters)
            until("the burst is taken", () -> {
                stream.read(frame);
                return impl.datagrams() == expected;
            });
        }
        peerTs += 160 * 5;
        for (int i = 0; i < 5; i++) {
            sendAudio(0x5, (short) -6000, peer);
        }

        until("good audio after the garbage", () -> heard((short) -6000));
        assertThat(engine.extra(stream).ringOverflows()).isZero();
        RtpStats s = stream.stats();
        assertThat(s.notRtp()).isGreaterThanOrEqualTo(2);
        assertThat(s.malformed()).isGreaterThanOrEqualTo(1);
        assertThat(s.wrongPayload()).isGreaterThanOrEqualTo(1);
        assertThat(s.oversized()).isEqualTo(1);
    }

    @Test
    void theStreamSendsReportsAndReadsThePeers() throws Exception {
        sendAudio(0x77, (short) 500, peer);
        until("audio", () -> heard((short) 500));
        stream.write(frame);
        ByteBuffer ours = ByteBuffer.allocate(2048);
        until("our first packet", () -> receive(peer, ours));
        int ourSsrc = RtpHeader.ssrc(ours.array());

        byte[] rr = new byte[64];
        int len = Rtcp.write(rr, 0x77, false, 0, 0, 0, true, ourSsrc, 128, 3, 100, 40, 0, 0, 0, Rtcp.cname("peer"));
        peerRtcp.send(ByteBuffer.wrap(rr, 0, len), new InetSocketAddress(LOOPBACK, stream.local().getPort() + 1));
        until("the peer's report is read", () -> stream.stats().remoteLostFraction() == 0.5);
        assertThat(stream.stats().remoteJitterMs()).isEqualTo(5.0);

        ByteBuffer report = ByteBuffer.allocate(2048);
        until("our report reaches the peer's RTCP port", () -> {
            stream.read(frame);
            return receive(peerRtcp, report);
        });
        assertThat(report.array()[1] & 0xFF).isIn(Rtcp.SR, Rtcp.RR);
    }

    @Test
    void portsAreNeverLeakedAndTheRangeCanRunOut() throws Exception {
        RtpEngineImpl small = new RtpEngineImpl(clock, new MediaOptions(43000, 43007, 20, 200, 0, 2, 0));
        try (DatagramChannel squatter = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 43002))) {
            for (int round = 0; round < 300; round++) {
                until("the last pair is closed and back", () -> small.ports().inUse() == 0);
                RtpStream a = small.open("a", LOOPBACK);
                RtpStream b = small.open("b", LOOPBACK);
                assertThat(a.local().getPort() % 2).isZero();
                assertThat(a.local().getPort()).isNotEqualTo(43002);
                a.close();
                b.close();
                a.close();
            }
            until("every pair is back", () -> small.ports().inUse() == 0);
            assertThat(small.ports().free()).isEqualTo(4);
            assertThat(small.ports().bindFailures()).as("only the squatter's port").isPositive();
            small.open("1", LOOPBACK);
            small.open("2", LOOPBACK);
            small.open("3", LOOPBACK);
            assertThatThrownBy(() -> small.open("4", LOOPBACK)).isInstanceOf(RtpException.class)
                    .hasMessageContaining("no free RTP port pair in 43000-43007").hasMessageContaining("rtp.port.first");
        } finally {
            small.deactivate();
        }
        assertThat(small.ports().inUse()).isZero();
        assertThat(Codec.byName("pcma")).contains(Codec.PCMA);
    }
}
