package org.switchboard.line.serial.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.hw.api.UnitSpec;
import org.switchboard.line.serial.internal.at.JSerialCommIo;
import org.switchboard.line.serial.internal.sim.PtyPair;
import org.switchboard.line.serial.internal.sim.SimulatedModem;

/**
 * Load of the serial line driver on pseudo-terminals (run by hand: benchmarks/serial-load.sh).
 * <ol>
 *   <li>RING to ringing: each line rings 20 times while the others are idle; the time from the
 *       simulated modem writing RING to the driver handing the call to the core.</li>
 *   <li>Voice: every line rings at once, is answered, and carries 8 kHz audio both ways (8-bit
 *       A-law, 64 kbit/s each way) for the given time, with a media clock ticking every 20 ms as
 *       the core's does. Reported: underruns on the modem side (a 20 ms tick of the far end with
 *       less than a frame from the box, after its 60 ms playout buffer filled), short frames on
 *       the box side, clock ticks more than 5 ms late, and the CPU of the driver's threads
 *       (serial-*) per line, apart from the simulators' (sim-*).</li>
 * </ol>
 */
public final class SerialLoad {

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("serial-load");
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        Map<String, DriverChannel> inbound = new ConcurrentHashMap<>();
        Map<String, Long> inboundNanos = new ConcurrentHashMap<>();
        Map<String, CountDownLatch> answered = new ConcurrentHashMap<>();
        ChannelPublisher core = (lineId, callerId, called, channel) -> {
            inboundNanos.put(lineId, System.nanoTime());
            inbound.put(lineId, channel);
            return signals(lineId, answered);
        };
        List<PtyPair> ptys = new ArrayList<>();
        List<SimulatedModem> modems = new ArrayList<>();
        List<ModemLine> boxLines = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            String id = "load-" + i;
            PtyPair p = new PtyPair(dir.resolve(id + ".tty"), dir.resolve(id + ".dev")).start();
            ptys.add(p);
            modems.add(new SimulatedModem(id, p.deviceSide()).start());
            UnitSpec spec = new UnitSpec(id, Map.of("id", id, "port", p.boxSide().toString(), "baud", "115200",
                    "flow-control", "none", "number", "", "init", ""));
            ModemLine l = new ModemLine(spec, "load", core, timer, JSerialCommIo::open, false);
            boxLines.add(l);
            l.start();
        }
        waitFor(() -> boxLines.stream().allMatch(l -> l.status().health() == LineHealth.ONLINE), 30_000, "lines online");
        System.out.printf("%d modem lines online on pseudo-terminals%n", lines);

        // 1. RING -> ringing, one line at a time
        List<Long> ring = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < lines; i++) {
                String id = "load-" + (i + 1);
                SimulatedModem m = modems.get(i);
                inbound.remove(id);
                m.ring("13800138000", null, true);
                waitFor(() -> inbound.containsKey(id), 5000, "inbound on " + id);
                ring.add(inboundNanos.get(id) - m.ringNanos());
                m.stopRinging();
                inbound.get(id).hangup(HangupCause.NORMAL_CLEARING);
                ModemLine l = boxLines.get(i);
                waitFor(() -> !l.busy(), 5000, "idle " + id);
            }
        }
        long[] r = ring.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("RING to ringing (%d calls): p50 %.2f ms, p95 %.2f ms, max %.2f ms%n", r.length,
                r[r.length / 2] / 1e6, r[(int) (r.length * 0.95)] / 1e6, r[r.length - 1] / 1e6);

        // 2. every line in a call with audio both ways
        List<MediaPort> ports = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String id = "load-" + (i + 1);
            answered.put(id, new CountDownLatch(1));
            inbound.remove(id);
            modems.get(i).ring("13800138000", null, true);
        }
        for (int i = 0; i < lines; i++) {
            String id = "load-" + (i + 1);
            waitFor(() -> inbound.containsKey(id), 10_000, "inbound on " + id);
            inbound.get(id).answer();
        }
        for (int i = 0; i < lines; i++) {
            String id = "load-" + (i + 1);
            if (!answered.get(id).await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(id + " not answered");
            }
            ports.add(inbound.get(id).media());
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpuBefore = cpu(mx);
        long missed = clock(ports, seconds);
        Map<Long, Long> cpuAfter = cpu(mx);
        long box = 0;
        long sim = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long d = cpuAfter.getOrDefault(t.getId(), 0L) - cpuBefore.getOrDefault(t.getId(), 0L);
            if (t.getName().startsWith("switchboard-serial") || t.getName().equals("bench-media-clock")) {
                box += d;
            } else if (t.getName().startsWith("switchboard-sim")) {
                sim += d;
            }
        }
        long modemUnderruns = 0;
        long boxShort = 0;
        long heard = 0;
        for (int i = 0; i < lines; i++) {
            modemUnderruns += modems.get(i).underruns();
            heard += modems.get(i).framesHeard();
            boxShort += boxLines.get(i).voiceOfCall().underruns();
        }
        System.out.printf("Voice %d lines x %d s, 8-bit A-law both ways: far end heard %d frames (%.1f%% of %d), %d underruns; "
                        + "box short frames %d; clock ticks > 5 ms late %d%n", lines, seconds, heard,
                100.0 * heard / ((long) lines * seconds * 50), (long) lines * seconds * 50, modemUnderruns, boxShort, missed);
        System.out.printf("CPU: driver threads %.2f%% of a core per line (%.1f%% for %d lines); simulators %.1f%%%n",
                100.0 * box / seconds / 1e9 / lines, 100.0 * box / seconds / 1e9, lines, 100.0 * sim / seconds / 1e9);
        for (ModemLine l : boxLines) {
            l.stop(HangupCause.NORMAL_CLEARING);
        }
        modems.forEach(SimulatedModem::close);
        ptys.forEach(PtyPair::stop);
        timer.shutdownNow();
        System.exit(0);
    }

    /** Ticks every 20 ms on absolute deadlines, writing and reading a frame per port; counts late ticks. */
    private static long clock(List<MediaPort> ports, int seconds) throws InterruptedException {
        long[] late = new long[1];
        Thread t = new Thread(() -> {
            short[] out = new short[160];
            short[] in = new short[160];
            long start = System.nanoTime();
            long ticks = seconds * 50L;
            long n = 0;
            for (long k = 1; k <= ticks; k++) {
                long due = start + k * 20_000_000L;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (now - due > 5_000_000L) {
                    late[0]++;
                }
                for (int i = 0; i < 160; i++) {
                    out[i] = (short) (6000 * Math.sin(2 * Math.PI * 400 * n++ / 8000.0));
                }
                for (MediaPort p : ports) {
                    p.write(out);
                    p.read(in);
                }
            }
        }, "bench-media-clock");
        t.start();
        t.join();
        return late[0];
    }

    private static Map<Long, Long> cpu(ThreadMXBean mx) {
        Map<Long, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            m.put(t.getId(), mx.getThreadCpuTime(t.getId()));
        }
        return m;
    }

    private static ChannelSignals signals(String id, Map<String, CountDownLatch> answered) {
        return new ChannelSignals() {
            @Override
            public String channelId() {
                return id;
            }

            @Override
            public void alerting() {
            }

            @Override
            public void answered() {
                CountDownLatch l = answered.get(id);
                if (l != null) {
                    l.countDown();
                }
            }

            @Override
            public void callerId(CallerId callerId) {
            }

            @Override
            public void dtmf(char digit, int durationMs) {
            }

            @Override
            public void hungUp(HangupCause cause) {
            }
        };
    }

    private static void waitFor(java.util.function.BooleanSupplier c, long ms, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    private SerialLoad() {
    }

}
