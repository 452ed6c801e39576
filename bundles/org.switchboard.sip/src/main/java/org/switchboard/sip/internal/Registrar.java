package org.switchboard.sip.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER (RFC 3261 section 10): digest authentication against the extensions, the allowed
 * source networks, bindings with expiry, several contacts per extension, and 423 for intervals
 * too brief. A wrong password is 403 and counts towards the source's lockout.
 */
final class Registrar {

    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

    private final SipContext sip;
    private final Extensions extensions;
    private final Registrations registrations;
    private final Digest digest;
    private final SourceGuard guard;
    private final Clock clock;

    Registrar(SipContext sip, Extensions extensions, Registrations registrations, Digest digest, SourceGuard guard, Clock clock) {
        this.sip = sip;
        this.extensions = extensions;
        this.registrations = registrations;
        this.digest = digest;
        this.guard = guard;
        this.clock = clock;
    }

    void handle(RequestEvent ev) {
        Request r = ev.getRequest();
        ServerTransaction st = sip.transaction(ev);
        InetSocketAddress src = SipContext.source(r);
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        String user = to != null && to.getAddress().getURI() instanceof SipURI u ? u.getUser() : null;
        Authenticated auth = authenticate(st, r, src, user, "Authorization", 401);
        if (auth == null) {
            return;
        }
        Extensions.Extension ext = auth.extension();
        if (!ext.number().equals(user)) {
            // extension 1001 may not register 1002's phone
            sip.reply(st, r, 403);
            return;
        }
        ExpiresHeader expiresHeader = r.getExpires();
        int defaultExpires = expiresHeader == null ? 3600 : expiresHeader.getExpires();
        CallIdHeader callId = (CallIdHeader) r.getHeader(CallIdHeader.NAME);
        long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
        UserAgentHeader ua = (UserAgentHeader) r.getHeader(UserAgentHeader.NAME);
        String agent = ua == null ? "" : String.join(" ", toStrings(ua.getProduct()));
        ListIterator<?> contacts = r.getHeaders(ContactHeader.NAME);
        int shortest = Integer.MAX_VALUE;
        java.util.List<ContactHeader> list = new java.util.ArrayList<>();
        while (contacts != null && contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.isWildCard()) {
                if (defaultExpires != 0) {
                    sip.reply(st, r, 400);
                    return;
                }
                registrations.removeAll(ext.number());
                sendOk(st, r, ext.number());
                return;
            }
            int e = c.getExpires() >= 0 ? c.getExpires() : defaultExpires;
            if (e > 0) {
                shortest = Math.min(shortest, e);
            }
            list.add(c);
        }
        if (shortest < sip.options.minExpires()) {
            Response resp = sip.response(423, r);
            sip.addHeader(resp, "Min-Expires", Integer.toString(sip.options.minExpires()));
            sip.send(st, r, resp);
            return;
        }
        Instant now = clock.instant();
        for (ContactHeader c : list) {
            int e = Math.min(c.getExpires() >= 0 ? c.getExpires() : defaultExpires, sip.options.maxExpires());
            String contact = c.getAddress().getURI().toString();
            registrations.update(new Registrations.Binding(ext.number(), contact, src, SipContext.transport(r),
                    now.plusSeconds(e), agent, callId.getCallId(), cseq, now), e);
            if (e > 0) {
                LOG.info("Extension {} registered {} from {} for {} s", ext.number(), contact, src, e);
            } else {
                LOG.info("Extension {} unregistered {}", ext.number(), contact);
            }
        }
        sendOk(st, r, ext.number());
    }

    private static List<String> toStrings(ListIterator<?> it) {
        java.util.List<String> out = new java.util.ArrayList<>();
        while (it != null && it.hasNext()) {
            out.add(String.valueOf(it.next()));
        }
        return out;
    }

    private void sendOk(ServerTransaction st, Request r, String extension) {
        Response ok = sip.response(200, r);
        Instant now = clock.instant();
        for (Registrations.Binding b : registrations.of(extension)) {
            long left = Math.max(0, b.expires().getEpochSecond() - now.getEpochSecond());
            sip.addHeader(ok, "Contact", "<" + b.contact() + ">;expires=" + left);
        }
        sip.send(st, r, ok);
    }

    /** Who a request authenticated as, and with which algorithm. */
    record Authenticated(Extensions.Extension extension, Digest.Algorithm algorithm) {
    }

    /**
     * Checks a request's digest credentials (header {@code Authorization} with 401, or
     * {@code Proxy-Authorization} with 407); on anything but success the right response has been
     * sent and null is returned.
     */
    Authenticated authenticate(ServerTransaction st, Request r, InetSocketAddress src, String hintUser, String header,
                               int challengeStatus) {
        Map<String, String> cred = sip.credentials(r, header);
        if (cred == null) {
            challenge(st, r, challengeStatus, false);
            return null;
        }
        String username = cred.getOrDefault("username", "");
        Digest.Algorithm alg = Digest.Algorithm.of(cred.get("algorithm"));
        Optional<Extensions.Extension> ext = extensions.get(username);
        String ha1 = ext.isPresent() && alg != null ? ext.get().ha1(alg)
                // an unknown user costs the same as a known one, so timing does not tell which exist
                : Digest.ha1(Digest.Algorithm.MD5, username, digest.realm(), "unknown");
        Digest.Verdict v = digest.verify(cred, r.getMethod(), ha1);
        if (v == Digest.Verdict.OK && ext.isPresent() && !ext.get().realm().equals(digest.realm())) {
            v = Digest.Verdict.WRONG; // the password was set for another realm
        }
        switch (v) {
            case OK -> {
                if (ext.isEmpty()) {
                    v = Digest.Verdict.WRONG;
                } else if (!ext.get().allowed().allows(src.getAddress())) {
                    LOG.warn("Extension {} authenticated from {}, outside its allowed networks ({}): refused",
                            username, src.getAddress().getHostAddress(), ext.get().allowed());
                    guard.failed(src.getAddress(), username);
                    sip.reply(st, r, 403);
                    return null;
                } else {
                    guard.succeeded(src.getAddress());
                    return new Authenticated(ext.get(), alg);
                }
            }
            case STALE -> {
                challenge(st, r, challengeStatus, true);
                return null;
            }
            case REPLAY, MALFORMED -> {
                challenge(st, r, challengeStatus, false);
                return null;
            }
            default -> {
            }
        }
        boolean locked = guard.failed(src.getAddress(), username);
        LOG.info("{} from {}: wrong credentials for '{}'{}", r.getMethod(), src.getAddress().getHostAddress(), username,
                locked ? "; the address is now locked out" : "");
        if (locked) {
            LOG.warn("Source {} locked out for {} s after {} failed authentications (last user '{}')",
                    src.getAddress().getHostAddress(), sip.options.limits().lockout().toSeconds(),
                    sip.options.limits().failures(), username);
        }
        sip.reply(st, r, 403);
        return null;
    }

    private void challenge(ServerTransaction st, Request r, int status, boolean stale) {
        Response resp = sip.response(status, r);
        String name = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        for (String c : digest.challenges(stale)) {
            sip.addHeader(resp, name, c);
        }
        sip.send(st, r, resp);
    }
}
