package org.switchboard.media.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.switchboard.core.spi.MediaClock;
import org.switchboard.core.spi.MediaTask;
import org.switchboard.media.codec.G711;

/**
 * The media work of one bridged call for one 20 ms tick, in frame mode: for each leg the network
 * thread's hand-over of a received packet, then on the clock its parsing and source checks, the
 * jitter buffer (in and out), G.711 decoding, the bridge (each leg gets the other's frame) and the
 * encoding of the packet to send. The socket calls themselves are left out: they are the load
 * test's (benchmarks/relay-load.sh). Run with {@code -prof gc} to see the allocation per tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-XX:+UseG1GC"})
public class BridgedCallTick {

    /** Media time driven by the benchmark: one tick per invocation. */
    static final class BenchClock implements MediaClock {
        long tick;
        final long start = System.nanoTime();

        @Override
        public long currentTick() {
            return tick;
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

    private final BenchClock clock = new BenchClock();
    private RtpStreamImpl a;
    private RtpStreamImpl b;
    private final byte[] packetA = new byte[172];
    private final byte[] packetB = new byte[172];
    private final ByteBuffer bufferA = ByteBuffer.wrap(packetA);
    private final ByteBuffer bufferB = ByteBuffer.wrap(packetB);
    private InetSocketAddress peerA;
    private InetSocketAddress peerB;
    private final short[] frameA = new short[160];
    private final short[] frameB = new short[160];
    private int seq;

    @Setup
    public void setup() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        peerA = new InetSocketAddress(lo, 30000);
        peerB = new InetSocketAddress(lo, 30002);
        // real sockets (RTCP goes out every 5 s as on the box); the RTP sends are left out
        PortAllocator ports = new PortAllocator(31000, 31999, 0);
        a = new RtpStreamImpl(null, "a", ports.allocate(lo), clock, 20, 200);
        b = new RtpStreamImpl(null, "b", ports.allocate(lo), clock, 20, 200);
        a.remote(peerA);
        b.remote(peerB);
        short[] voice = new short[160];
        for (int i = 0; i < 160; i++) {
            voice[i] = (short) (8000 * Math.sin(2 * Math.PI * 400 * i / 8000.0));
        }
        G711.encodeUlaw(voice, 0, packetA, 12, 160);
        G711.encodeUlaw(voice, 0, packetB, 12, 160);
    }

    @Benchmark
    public int oneTickOfOneBridgedCall() {
        long tick = ++clock.tick;
        long arrival = clock.start + tick * 20_000_000L;
        int ts = seq * 160;
        // the network thread hands each leg its packet
        RtpHeader.write(packetA, false, 0, seq, ts, 0x0A0A0A0A);
        RtpHeader.write(packetB, false, 0, seq, ts, 0x0B0B0B0B);
        seq = (seq + 1) & 0xFFFF;
        bufferA.clear();
        bufferB.clear();
        a.ring().offer(bufferA, peerA, arrival);
        b.ring().offer(bufferB, peerB, arrival);
        // the clock: read both legs, then each gets the other's frame, encoded for sending
        boolean heardA = a.read(frameA);
        boolean heardB = b.read(frameB);
        int sent = 0;
        if (heardB) {
            sent += a.packetize(frameB);
        }
        if (heardA) {
            sent += b.packetize(frameA);
        }
        return sent;
    }
}
