package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What stops scanners and password guessers: per source address, failed authentications lock
 * the address out for a while, and INVITEs and REGISTERs are rate-limited (token buckets). Every
 * check is a map lookup, so a flood costs the box little.
 */
public final class SourceGuard {

    /** The thresholds, from the SIP configuration. */
    record Limits(int failures, Duration window, Duration lockout, double invitesPerSecond, double registersPerSecond) {
    }

    /** A locked-out address, for sip:blocked. */
    public record Block(InetAddress address, Instant until, int failures, String lastUser) {
    }

    private static final class Source {
        int failures;
        Instant firstFailure;
        Instant blockedUntil;
        String lastUser = "";
        double inviteTokens;
        double registerTokens;
        Instant refilled;
        Instant lastSeen;
    }

    private final Clock clock;
    private volatile Limits limits;
    private final Map<InetAddress, Source> sources = new ConcurrentHashMap<>();
    private long refusedRequests;

    SourceGuard(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    void limits(Limits l) {
        this.limits = l;
    }

    /** Whether a request from the address goes on; false for a locked-out source or one over its rate. */
    boolean admit(InetAddress address, String method) {
        Instant now = clock.instant();
        Source s = sources.computeIfAbsent(address, a -> fresh(now));
        synchronized (s) {
            s.lastSeen = now;
            if (s.blockedUntil != null) {
                if (now.isBefore(s.blockedUntil)) {
                    refusedRequests++;
                    return false;
                }
                s.blockedUntil = null;
                s.failures = 0;
            }
            Limits l = limits;
            double seconds = Duration.between(s.refilled, now).toNanos() / 1e9;
            s.refilled = now;
            s.inviteTokens = Math.min(burst(l.invitesPerSecond()), s.inviteTokens + seconds * l.invitesPerSecond());
            s.registerTokens = Math.min(burst(l.registersPerSecond()), s.registerTokens + seconds * l.registersPerSecond());
            if (method.equals("INVITE")) {
                if (s.inviteTokens < 1) {
                    refusedRequests++;
                    return false;
                }
                s.inviteTokens--;
            } else if (method.equals("REGISTER")) {
                if (s.registerTokens < 1) {
                    refusedRequests++;
                    return false;
                }
                s.registerTokens--;
            }
            return true;
        }
    }

    private Source fresh(Instant now) {
        Source s = new Source();
        Limits l = limits;
        s.inviteTokens = burst(l.invitesPerSecond());
        s.registerTokens = burst(l.registersPerSecond());
        s.refilled = now;
        s.lastSeen = now;
        return s;
    }

    /** A burst of twice the rate (at least 2), so a phone registering and calling at once is never refused. */
    private static double burst(double rate) {
        return Math.max(2, rate * 2);
    }

    /** A failed authentication; true when it locks the address out. */
    boolean failed(InetAddress address, String user) {
        Instant now = clock.instant();
        Source s = sources.computeIfAbsent(address, a -> fresh(now));
        synchronized (s) {
            Limits l = limits;
            if (s.firstFailure == null || now.isAfter(s.firstFailure.plus(l.window()))) {
                s.firstFailure = now;
                s.failures = 0;
            }
            s.failures++;
            s.lastUser = user == null ? "" : user;
            if (s.failures >= l.failures() && s.blockedUntil == null) {
                s.blockedUntil = now.plus(l.lockout());
                return true;
            }
            return false;
        }
    }

    void succeeded(InetAddress address) {
        Source s = sources.get(address);
        if (s != null) {
            synchronized (s) {
                s.failures = 0;
                s.firstFailure = null;
            }
        }
    }

    List<Block> blocked() {
        Instant now = clock.instant();
        return sources.entrySet().stream().filter(e -> {
            Instant until = e.getValue().blockedUntil;
            return until != null && now.isBefore(until);
        }).map(e -> new Block(e.getKey(), e.getValue().blockedUntil, e.getValue().failures, e.getValue().lastUser))
                .sorted(Comparator.comparing(Block::until)).toList();
    }

    boolean unblock(InetAddress address) {
        Source s = sources.get(address);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            boolean was = s.blockedUntil != null && clock.instant().isBefore(s.blockedUntil);
            s.blockedUntil = null;
            s.failures = 0;
            s.firstFailure = null;
            return was;
        }
    }

    long refusedRequests() {
        return refusedRequests;
    }

    /** Forgets sources not seen for an hour and not blocked (called now and then). */
    void sweep() {
        Instant cutoff = clock.instant().minus(Duration.ofHours(1));
        sources.entrySet().removeIf(e -> e.getValue().lastSeen.isBefore(cutoff) && e.getValue().blockedUntil == null);
    }
}
