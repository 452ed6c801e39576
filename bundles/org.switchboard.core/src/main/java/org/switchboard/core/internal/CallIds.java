package org.switchboard.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Call ids: the start time in milliseconds in base 36, made strictly increasing, so ids are short
 * ({@code mhq8x2k3} is 8 characters), sortable by start, and unique across restarts of the box as
 * long as its clock does not run backwards.
 */
final class CallIds {

    private final AtomicLong last = new AtomicLong();

    String next() {
        long now = System.currentTimeMillis();
        long id = last.updateAndGet(prev -> Math.max(prev + 1, now));
        return Long.toString(id, 36);
    }
}
