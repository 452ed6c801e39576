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

    private void run() {
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
