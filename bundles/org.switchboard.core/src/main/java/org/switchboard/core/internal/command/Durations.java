package org.switchboard.core.internal.command;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the shell prints times and durations. */
final class Durations {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Durations() {
    }

    /** {@code 1:05} or {@code 1:02:05}. */
    static String since(Instant from, Instant to) {
        long s = Math.max(0, Duration.between(from, to).getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    static String clock(Instant t) {
        return CLOCK.format(t);
    }
}
