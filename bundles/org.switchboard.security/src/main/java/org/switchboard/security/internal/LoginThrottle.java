package org.switchboard.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} failed logins for a user name within
 * {@link #WINDOW}, that name is locked for {@link #LOCK}, whatever password is tried.
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCK = Duration.ofMinutes(5);

    private record Failures(int count, Instant first, Instant lockedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** When the name is locked, until when. */
    Instant lockedUntil(String user) {
        Failures f = failures.get(user);
        Instant now = clock.instant();
        return f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(now) ? f.lockedUntil() : null;
    }

    /** Counts a failure; true when it locks the name. */
    boolean failed(String user) {
        Instant now = clock.instant();
        Failures f = failures.compute(user, (k, old) -> {
            if (old == null || old.first().plus(WINDOW).isBefore(now)) {
                return new Failures(1, now, null);
            }
            int n = old.count() + 1;
            return new Failures(n, old.first(), n >= MAX_FAILURES ? now.plus(LOCK) : old.lockedUntil());
        });
        return f.count() == MAX_FAILURES;
    }

    void succeeded(String user) {
        failures.remove(user);
    }
}
