package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ProviderType;

/** The one clock that ticks every 20 ms for all legs of the box. */
@ProviderType
public interface MediaClock {

    /** Runs {@code task} on every tick until the returned handle is closed. */
    AutoCloseable schedule(MediaTask task);

    /**
     * The number of the tick running now (or last run), counted from {@link #startNanos()}; ticks
     * skipped after a stall are counted too, so {@code currentTick() * 160} is media time in samples.
     */
    long currentTick();

    /** The {@link System#nanoTime()} of tick 0: media time of an event is {@code (nanos - startNanos()) / 125_000} samples. */
    long startNanos();

    /** Figures of the clock so far. */
    Stats stats();

    /**
     * @param ticks         ticks run
     * @param lateTicks     ticks that started more than 2 ms after their time
     * @param overruns      ticks whose work took longer than a whole frame
     * @param skippedTicks  ticks dropped to catch up after a stall (each one a 20 ms gap in audio)
     * @param maxWorkNanos  the longest work of one tick
     * @param lastWorkNanos the work of the last tick
     * @param activeLegs    legs whose audio the clock moves now
     * @param taskErrors    exceptions that escaped ports, sources or tasks
     */
    /**
     * The clock thread's scheduling priority as the operating system gave it, for the shell: raised
     * or normal, and why it matters.
     */
    default String schedulingPriority() {
        return "unknown";
    }

    record Stats(long ticks, long lateTicks, long overruns, long skippedTicks, long maxWorkNanos,
                 long lastWorkNanos, int activeLegs, long taskErrors) {
    }
}
