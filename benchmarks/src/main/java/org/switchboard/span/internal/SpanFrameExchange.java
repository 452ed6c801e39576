package org.switchboard.span.internal;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JNI cost of one 20 ms frame of a fully busy E1 span: the native exchange of all 30 channels
 * (one JNI call: every channel's 160 bytes out to the simulated line and in from it, through the one
 * direct buffer) and the Java side's work on it (A-law decode of what came in, encode of what goes
 * out, for 30 channels). The span is the lab's simulated E1 (libpri CPE against the simulated
 * carrier) with 30 calls up; the poll threads are not started, the benchmark drives the span.
 * Needs the library the build made: run from the repository root (the fork is told where it is).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-XX:+UseG1GC",
    "-Dswitchboard.span.library=bundles/org.switchboard.span.native/target/classes/native/linux-x86-64/libsbspan.so"})
public class SpanFrameExchange {

    private static final Set<Integer> E1 = IntStream.rangeClosed(1, 31).filter(t -> t != 16).boxed().collect(Collectors.toSet());

    private SimCarrier carrier;
    private PriSpan box;

    /** The box's side of a call: answers every ring and always has 20 ms to send. */
    private final class Answering implements PriSpan.Listener {
        @Override
        public void ring(int ts, int callingPlan, int callingPres, String calling, String called, String name) {
            box.attach(ts, new Leg(ts) {
                private final short[] voice = new short[160];

                @Override
                boolean toSend(short[] frame) {
                    System.arraycopy(voice, 0, frame, 0, 160);
                    return true;
                }

                @Override
                void heard(short[] frame) {
                    framesHeard++;
                }
            });
            box.submit(h -> SpanLib.answer(h, ts, 0));
        }

        @Override
        public void proceeding(int ts) {
        }

        @Override
        public void alerting(int ts) {
        }

        @Override
        public void answered(int ts) {
        }

        @Override
        public void hungUp(int ts, int cause) {
        }

        @Override
        public void freed(int ts) {
        }
    }

    @Setup(Level.Trial)
    public void thirtyCallsUp() {
        String err = SpanLib.loadError();
        if (err != null) {
            throw new IllegalStateException(err);
        }
        SpanConfig cfg = new SpanConfig("bench", true, 0, false, "pri-cpe", "euroisdn", true, E1, 16, "01066668000", 4);
        carrier = new SimCarrier(cfg);
        carrier.autoAnswer = false;
        if (carrier.span.open() != null) {
            throw new IllegalStateException("carrier: " + carrier.span.openError());
        }
        box = new PriSpan(cfg, carrier.span, new Answering());
        if (box.open() != null) {
            throw new IllegalStateException("box: " + box.openError());
        }
        pump(() -> box.dchanUp() && carrier.span.dchanUp());
        for (int i = 0; i < 30; i++) {
            carrier.call("1380000" + (1000 + i), "01066668000", false);
        }
        pump(() -> Long.bitCount(box.stats()[2]) == 30 && IntStream.rangeClosed(1, 31).filter(t -> t != 16)
                .allMatch(t -> carrier.leg(t) != null && carrier.leg(t).up));
    }

    private void pump(java.util.function.BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the simulated span did not get there in 20 s");
            }
            carrier.span.runOnce(2);
            box.runOnce(2);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        box.close();
        carrier.span.close();
    }

    /** One 20 ms frame of 30 channels: the JNI exchange and the Java decode/encode. */
    @Benchmark
    public int frame() {
        int rc = SpanLib.benchTick(box.handle(), 0, 0);
        box.moveAudio();
        return rc;
    }

    /**
     * A frame at both ends of the line: the carrier's span sends what the box then receives (and the
     * other way), so every channel is decoded as well as encoded. Half of it is one span's frame.
     */
    @Benchmark
    public int bothEnds() {
        int rc = SpanLib.benchTick(carrier.span.handle(), 0, 0);
        carrier.span.moveAudio();
        rc += SpanLib.benchTick(box.handle(), 0, 0);
        box.moveAudio();
        return rc;
    }

    /** The JNI round trip alone: a poll that finds nothing to do (no D-channel frame, no tick due). */
    @Benchmark
    public int pollNothingReady() {
        return SpanLib.poll(box.handle(), 0);
    }
}
