package org.switchboard.core.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Work that runs on every tick of the media clock, after the legs' audio has been read and
 * written: recording taps, conference mixers, RTP pacing. Runs on the clock thread: no blocking,
 * no allocation, no exception in normal operation (one that escapes is counted and logged once).
 */
@ConsumerType
@FunctionalInterface
public interface MediaTask {

    /** @param tick the number of the tick, counted from clock start */
    void tick(long tick);
}
