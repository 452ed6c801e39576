package org.switchboard.sip.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each extension can be reached: its registered contacts (several phones per extension),
 * each with the address the REGISTER really came from, so a phone behind NAT is reached there.
 * In memory: phones register again within their expiry after a restart of the box.
 */
final class Registrations {

    /** One registered contact. */
    record Binding(String extension, String contact, InetSocketAddress source, String transport, Instant expires,
                   String userAgent, String callId, long cseq, Instant registered) {

        /** Whether the contact's host differs from where the REGISTER came from: the phone is behind NAT. */
        boolean behindNat() {
            return !contact.contains(source.getAddress().getHostAddress() + ":" + source.getPort())
                    && !contact.contains("@" + source.getAddress().getHostAddress() + ">");
        }
    }

    private final Clock clock;
    private final Map<String, List<Binding>> bindings = new ConcurrentHashMap<>();

    Registrations(Clock clock) {
        this.clock = clock;
    }

    /** The live contacts of an extension, newest first. */
    List<Binding> of(String extension) {
        Instant now = clock.instant();
        List<Binding> list = bindings.getOrDefault(extension, List.of());
        return list.stream().filter(b -> b.expires().isAfter(now)).sorted(Comparator.comparing(Binding::registered).reversed())
                .toList();
    }

    /**
     * Adds, refreshes or (expires 0) removes a contact. A REGISTER older than the one that set the
     * binding (same Call-ID, lower CSeq) is ignored, as RFC 3261 10.3 says.
     */
    synchronized void update(Binding b, int expiresSeconds) {
        List<Binding> list = new ArrayList<>(bindings.getOrDefault(b.extension(), List.of()));
        for (Binding old : list) {
            if (old.contact().equals(b.contact()) && old.callId().equals(b.callId()) && old.cseq() >= b.cseq()) {
                return;
            }
        }
        list.removeIf(old -> old.contact().equals(b.contact()));
        if (expiresSeconds > 0) {
            list.add(b);
        }
        set(b.extension(), list);
    }

    synchronized void removeAll(String extension) {
        bindings.remove(extension);
    }

    private void set(String extension, List<Binding> list) {
        if (list.isEmpty()) {
            bindings.remove(extension);
        } else {
            bindings.put(extension, List.copyOf(list));
        }
    }

    /** Every live binding, for sip:registrations and the NAT keepalive. */
    List<Binding> all() {
        Instant now = clock.instant();
        return bindings.values().stream().flatMap(List::stream).filter(b -> b.expires().isAfter(now))
                .sorted(Comparator.comparing(Binding::extension).thenComparing(Binding::contact)).toList();
    }

    /** Drops expired bindings. */
    synchronized void sweep() {
        Instant now = clock.instant();
        for (String ext : List.copyOf(bindings.keySet())) {
            List<Binding> list = new ArrayList<>(bindings.get(ext));
            list.removeIf(b -> !b.expires().isAfter(now));
            set(ext, list);
        }
    }
}
