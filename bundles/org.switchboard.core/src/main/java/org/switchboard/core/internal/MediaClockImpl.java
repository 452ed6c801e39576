package org.switchboard.core.internal;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.switchboard.core.api.MediaFormat;
import org.switchboard.core.spi.MediaClock;
import org.switchboard.core.spi.MediaTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one tick every 20 ms against an absolute schedule (no drift), for every up leg and
 * every media task. Call control only swaps the arrays it iterates; the clock never takes a lock
 * and never waits for call control. After a stall (a GC pause, a starved machine) it skips the
 * missed ticks rather than bursting audio, and counts them.
 */
final class MediaClockImpl implements MediaClock {

    private static final Logger LOG = LoggerFactory.getLogger(MediaClockImpl.class);
    private static final long FRAME = MediaFormat.FRAME_NANOS;
    private static final long LATE = TimeUnit.MILLISECONDS.toNanos(2);

    private final Object lock = new Object();
    private volatile MediaLeg[] legs = new MediaLeg[0];
    private volatile MediaTask[] tasks = new MediaTask[0];
    /** Control actions that must happen between ticks (switching legs to or from direct relay). */
    private final java.util.Queue<Runnable> betweenTicks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private volatile long ticks;
    private volatile long currentTick;
    private volatile long startNanos;
    private volatile long lateTicks;
    private volatile long overruns;
    private volatile long skipped;
    private volatile long maxWork;
    private volatile long lastWork;
    private volatile long taskErrors;
    private volatile String priority = "not known yet";
    private volatile int tid;
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    private final Executor reporter;

    /** @param reporter where failures seen on the clock thread are logged, so the clock never waits on the log */
    MediaClockImpl(Executor reporter) {
        this.reporter = reporter;
        thread = new Thread(this::run, "switchboard-media-clock");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        startNanos = System.nanoTime() + FRAME;
        thread.start();
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void add(MediaLeg leg) {
        synchronized (lock) {
            MediaLeg[] now = legs;
            MediaLeg[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = leg;
            legs = next;
        }
    }

    void remove(MediaLeg leg) {
        synchronized (lock) {
            legs = without(legs, leg);
        }
    }

    @Override
    public AutoCloseable schedule(MediaTask task) {
        synchronized (lock) {
            MediaTask[] now = tasks;
            MediaTask[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = task;
            tasks = next;
        }
        return () -> {
            synchronized (lock) {
                tasks = without(tasks, task);
            }
        };
    }

    private static <T> T[] without(T[] array, T item) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == item) {
                T[] next = Arrays.copyOf(array, array.length - 1);
                System.arraycopy(array, i + 1, next, i, array.length - i - 1);
                return next;
            }
        }
        return array;
    }

    @Override
    public Stats stats() {
        return new Stats(ticks, lateTicks, overruns, skipped, maxWork, lastWork, legs.length, taskErrors);
    }

    @Override
    public long currentTick() {
        return currentTick;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public String schedulingPriority() {
        return priority;
    }

    /**
     * Asks for real-time (SCHED_FIFO) priority {@code level} for the clock thread, or for none when 0,
     * off the clock thread (it runs util-linux's chrt on the thread, as Java has no call for it), and
     * notes what the thread got. Without permission the clock keeps the nice value the JVM gave it
     * (bin/setenv maps its MAX_PRIORITY to nice -5 when the account may raise priorities).
     */
    void realtime(int level) {
        reporter.execute(() -> applyRealtime(level));
    }

    private synchronized void applyRealtime(int level) {
        int id;
        try {
            if (!started.await(2, TimeUnit.SECONDS) || (id = tid) <= 0) {
                priority = "unknown (the clock thread's id could not be read from /proc)";
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int[] now = schedule(id);
        if (now == null) {
            priority = "unknown (/proc/self/task/" + id + "/stat unreadable)";
            return;
        }
        boolean fifo = now[0] == 1;
        String problem = null;
        if (level > 0 && !(fifo && now[1] == level)) {
            problem = chrt("--fifo", level, id);
        } else if (level == 0 && fifo) {
            problem = chrt("--other", 0, id);
        }
        now = schedule(id);
        if (now == null) {
            return;
        }
        if (now[0] == 1) {
            priority = "real-time (SCHED_FIFO " + now[1] + ")";
        } else if (now[2] < 0) {
            priority = "raised (nice " + now[2] + ")" + (level > 0 ? "; real-time " + level + " refused" : "");
        } else {
            priority = "normal (nice " + now[2] + "): not raised, see docs/operations.md";
        }
        String got = priority;
        if (problem != null) {
            LOG.warn("The media clock did not get real-time priority {} ({}): it runs at {}. On a busy box calls' audio "
                    + "may leave late; grant the box's account LimitRTPRIO={} or CAP_SYS_NICE, or set "
                    + "clock.realtime.priority = 0 in etc/org.switchboard.core.cfg (docs/operations.md)",
                    level, problem, got, level);
        } else {
            LOG.info("Media clock scheduling: {}", got);
        }
    }

    /** policy (0 other, 1 FIFO, 2 RR), real-time priority and nice of a thread of this process, or null. */
    private static int[] schedule(int id) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task/" + id + "/stat"));
            // proc(5): fields after "(comm) " start at field 3; nice is 19, rt_priority 40, policy 41
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new int[] {Integer.parseInt(f[38]), Integer.parseInt(f[37]), Integer.parseInt(f[16])};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Runs chrt on thread {@code id}; returns null when it worked, else what it said. */
    private static String chrt(String policy, int level, int id) {
        try {
            Process p = new ProcessBuilder("chrt", policy, "--pid", Integer.toString(level), Integer.toString(id))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "chrt did not finish";
            }
            return p.exitValue() == 0 ? null : (out.isEmpty() ? "chrt exited " + p.exitValue() : out);
        } catch (java.io.IOException e) {
            return "chrt (util-linux) cannot run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The clock thread's Linux thread id, from /proc/thread-self ("PID/task/TID"); 0 if unknown. */
    private static int ownTid() {
        try {
            java.nio.file.Path link = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"));
            return Integer.parseInt(link.getFileName().toString());
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private void run() {
        tid = ownTid();
        started.countDown();
        long next = System.nanoTime();
        startNanos = next + FRAME;
        long tick = 0;
        while (running) {
            next += FRAME;
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
                if (!running) {
                    return;
                }
            }
            long lateness = now - next;
            if (lateness > LATE) {
                lateTicks++;
            }
            if (lateness >= FRAME) {
                long behind = lateness / FRAME;
                skipped += behind;
                next += behind * FRAME;
                tick += behind;
            }
            currentTick = tick;
            runTick(tick++);
            long work = System.nanoTime() - now;
            lastWork = work;
            if (work > maxWork) {
                maxWork = work;
            }
            if (work > FRAME) {
                overruns++;
            }
            ticks++;
        }
    }

    /** Runs {@code action} on the clock thread before the next tick's audio moves. */
    void betweenTicks(Runnable action) {
        betweenTicks.add(action);
    }

    private void runTick(long tick) {
        for (Runnable r = betweenTicks.poll(); r != null; r = betweenTicks.poll()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                if (taskErrors++ == 0) {
                    reporter.execute(() -> LOG.error("media control action failed on the clock thread", e));
                }
            }
        }
        MediaLeg[] l = legs;
        for (MediaLeg leg : l) {
            leg.read();
        }
        for (MediaLeg leg : l) {
            leg.write();
        }
        MediaTask[] t = tasks;
        for (MediaTask task : t) {
            try {
                task.tick(tick);
            } catch (RuntimeException e) {
                if (taskErrors++ == 0) {
                    reporter.execute(() -> LOG.error(
                            "media task {} failed on the clock thread; further failures are only counted", task, e));
                }
            }
        }
    }
}
