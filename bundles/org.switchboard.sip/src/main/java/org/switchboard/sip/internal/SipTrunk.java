package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.LineUnavailableException;

/**
 * A SIP trunk to a carrier: registration with digest (re-registered before expiry, backing off on
 * failure: 30 s, 1, 2, 4, 8, 10 min), OPTIONS keepalive, a status (ONLINE, or OFFLINE with the
 * last response), its DIDs, and a line to dial out on.
 */
final class SipTrunk implements Line, ClientHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SipTrunk.class);
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /** The validated trunk configuration. */
    record Options(String name, InetAddress host, int port, String transport, String domain, String username,
                   String authUsername, String password, boolean register, int expires, Map<String, String> dids,
                   String callerId, Duration optionsInterval, boolean outbound) {

        static Options from(TrunkConfig c, List<String> problems) {
            String name = c.name() == null ? "" : c.name().trim();
            if (!NAME.matcher(name).matches()) {
                problems.add("name = '" + name + "' is not allowed; allowed: 1-32 of a-z 0-9 - _");
            }
            InetAddress host = null;
            String h = c.host() == null ? "" : c.host().trim();
            if (!h.matches("[0-9a-fA-F:.]+")) {
                problems.add("host = '" + h + "' is not allowed; allowed: the carrier's IP address");
            } else {
                try {
                    host = InetAddress.getByName(h);
                } catch (UnknownHostException e) {
                    problems.add("host = '" + h + "' is not an IP address");
                }
            }
            if (c.port() < 1 || c.port() > 65535) {
                problems.add("port = " + c.port() + " is not allowed; allowed: 1..65535");
            }
            String transport = c.transport() == null ? "udp" : c.transport().trim().toLowerCase(java.util.Locale.ROOT);
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                problems.add("transport = '" + transport + "' is not allowed; allowed: udp, tcp");
            }
            if (c.register() && (c.username() == null || c.username().isBlank())) {
                problems.add("register = true needs a username");
            }
            if (c.expires() < 60 || c.expires() > 86400) {
                problems.add("expires = " + c.expires() + " is not allowed; allowed: 60..86400");
            }
            int opt = c.options_interval_seconds();
            if (opt != 0 && (opt < 10 || opt > 3600)) {
                problems.add("options.interval.seconds = " + opt + " is not allowed; allowed: 0 (off) or 10..3600");
            }
            Map<String, String> dids = new LinkedHashMap<>();
            for (String d : (c.dids() == null ? "" : c.dids()).split("[,\\s]+")) {
                if (d.isEmpty()) {
                    continue;
                }
                String[] p = d.split(">", -1);
                if (p.length > 2 || !p[0].matches("\\+?[0-9]{1,32}") || (p.length == 2 && !Extensions.NUMBER.matcher(p[1]).matches())) {
                    problems.add("dids: '" + d + "' is not allowed; allowed: NUMBER or NUMBER>EXTENSION, e.g. 01058580000>1001");
                    continue;
                }
                dids.put(p[0], p.length == 2 ? p[1] : "");
            }
            String domain = c.domain() == null || c.domain().isBlank() ? h : c.domain().trim();
            String user = c.username() == null ? "" : c.username().trim();
            String authUser = c.auth_username() == null || c.auth_username().isBlank() ? user : c.auth_username().trim();
            String callerId = c.caller_id() == null || c.caller_id().isBlank() ? user : c.caller_id().trim();
            return new Options(name, host, c.port(), transport, domain, user, authUser, c.password() == null ? "" : c.password(),
                    c.register(), c.expires(), Map.copyOf(dids), callerId, Duration.ofSeconds(opt), c.outbound());
        }
    }

    private final Options o;
    private final SipServer server;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final String callId;
    private final String fromTag = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    private long cseq = 1;
    private int failures;
    private int authTries;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> keepalive;
    private volatile LineStatus status;
    private volatile String lastResponse = "";
    private volatile Instant registeredUntil;
    private volatile boolean stopped;

    SipTrunk(Options o, SipServer server, ScheduledExecutorService timer, Clock clock) {
        this.o = o;
        this.server = server;
        this.timer = timer;
        this.clock = clock;
        this.callId = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + "@switchboard";
        this.status = new LineStatus(LineHealth.OFFLINE, o.register() ? "registering" : "not checked yet",
                OptionalInt.empty(), "", clock.instant());
    }

    Options options() {
        return o;
    }

    synchronized void start() {
        stopped = false;
        if (o.register()) {
            register(null, null);
        } else if (o.optionsInterval().isZero()) {
            status = LineStatus.online(clock.instant()); // nothing to check it with: taken as up
        } else {
            setStatus(LineHealth.OFFLINE, "waiting for the carrier's answer to OPTIONS");
        }
        if (!o.optionsInterval().isZero()) {
            // a trunk without registration is known to be up only by OPTIONS: ask at once
            keepalive = timer.scheduleWithFixedDelay(this::ping, o.register() ? o.optionsInterval().toSeconds() : 0,
                    o.optionsInterval().toSeconds(), TimeUnit.SECONDS);
        }
    }

    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (o.register() && registeredUntil != null && registeredUntil.isAfter(clock.instant())) {
            send(Request.REGISTER, 0, null, null); // unregister, best effort
        }
    }

    /** Whether a request from this address comes from the carrier. */
    boolean from(InetSocketAddress src) {
        return src.getAddress().equals(o.host());
    }

    /** Whether the number is one of the trunk's DIDs; the extension it maps to (or "") when so. */
    java.util.Optional<String> did(String number) {
        return o.dids().containsKey(number) ? java.util.Optional.of(o.dids().get(number)) : java.util.Optional.empty();
    }

    private synchronized void register(String authHeader, String authValue) {
        if (stopped) {
            return;
        }
        send(Request.REGISTER, o.expires(), authHeader, authValue);
    }

    private void ping() {
        if (!stopped) {
            send(Request.OPTIONS, -1, null, null);
        }
    }

    private synchronized void send(String method, int expires, String authHeader, String authValue) {
        SipContext sip = server.context();
        if (sip == null) {
            setStatus(LineHealth.OFFLINE, "SIP is not running");
            return;
        }
        try {
            var af = sip.sip.addresses;
            var hf = sip.sip.headers;
            SipURI ruri = af.createSipURI(method.equals(Request.REGISTER) ? null : o.username().isEmpty() ? null : o.username(),
                    o.host().getHostAddress());
            ruri.setPort(o.port());
            if (o.transport().equals("tcp")) {
                ruri.setTransportParam("tcp");
            }
            Address aor = af.createAddress(af.createSipURI(o.username().isEmpty() ? "switchboard" : o.username(), o.domain()));
            String local = sip.options.announced().getHostAddress();
            javax.sip.ListeningPoint lp = sip.sip.point(o.transport());
            ViaHeader via = hf.createViaHeader(local, lp.getPort(), lp.getTransport(), null);
            via.setRPort();
            Request r = sip.sip.messages.createRequest(ruri, method,
                    method.equals(Request.REGISTER) ? hf.createCallIdHeader(callId) : sip.sip.provider.getNewCallId(),
                    hf.createCSeqHeader(cseq++, method), hf.createFromHeader(aor, fromTag),
                    hf.createToHeader(method.equals(Request.REGISTER) ? aor : af.createAddress(ruri), null),
                    new ArrayList<>(List.of(via)), hf.createMaxForwardsHeader(70));
            SipURI contactUri = af.createSipURI(o.username().isEmpty() ? "switchboard" : o.username(), local);
            contactUri.setPort(lp.getPort());
            if (o.transport().equals("tcp")) {
                contactUri.setTransportParam("tcp");
            }
            ContactHeader contact = hf.createContactHeader(af.createAddress(contactUri));
            r.addHeader(contact);
            if (expires >= 0) {
                r.addHeader(hf.createExpiresHeader(expires));
            }
            if (authHeader != null) {
                r.addHeader(hf.createHeader(authHeader, authValue));
            }
            ClientTransaction ct = sip.sip.provider.getNewClientTransaction(r);
            ct.setApplicationData(this);
            sip.tracer.trace("->", r, o.host(), o.port());
            ct.sendRequest();
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
            fail("cannot send " + method + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void response(ResponseEvent ev) {
        Response resp = ev.getResponse();
        CSeqHeader c = (CSeqHeader) resp.getHeader(CSeqHeader.NAME);
        String method = c.getMethod();
        int status = resp.getStatusCode();
        if (status < 200) {
            return;
        }
        lastResponse = status + " " + resp.getReasonPhrase() + " (" + method + ")";
        if (method.equals(Request.OPTIONS)) {
            if (!o.register() || (registeredUntil != null && registeredUntil.isAfter(clock.instant()))) {
                setStatus(LineHealth.ONLINE, "");
            }
            return;
        }
        if (!method.equals(Request.REGISTER) || stopped) {
            return;
        }
        String challengeHeader = status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        boolean stale = SipContext.values(resp, challengeHeader).stream().anyMatch(v -> "true".equalsIgnoreCase(Digest.parse(v).get("stale")));
        if ((status == 401 || status == 407) && (authTries == 0 || (stale && authTries < 2))) {
            String authHeader = status == 401 ? "Authorization" : "Proxy-Authorization";
            String uri = ev.getClientTransaction() != null ? ev.getClientTransaction().getRequest().getRequestURI().toString()
                    : "sip:" + o.host().getHostAddress() + ":" + o.port();
            for (String challenge : SipContext.values(resp, challengeHeader)) {
                String answer = ClientDigest.answer(challenge, o.authUsername(), o.password(), Request.REGISTER, uri, 1);
                if (answer != null) {
                    authTries++;
                    register(authHeader, answer);
                    return;
                }
            }
            fail("the carrier asks for an algorithm the box does not know: " + SipContext.values(resp, challengeHeader));
            return;
        }
        authTries = 0;
        if (status >= 200 && status < 300) {
            int granted = granted(resp);
            registeredUntil = clock.instant().plusSeconds(granted);
            failures = 0;
            setStatus(LineHealth.ONLINE, "");
            // register again well before the carrier forgets us
            schedule(Math.max(10, (long) (granted * 0.8)));
            return;
        }
        fail(status == 401 || status == 407 || status == 403 ? "the carrier refused the credentials: " + lastResponse : lastResponse);
    }

    private int granted(Response resp) {
        ContactHeader ch = (ContactHeader) resp.getHeader(ContactHeader.NAME);
        if (ch != null && ch.getExpires() > 0) {
            return ch.getExpires();
        }
        ExpiresHeader e = resp.getExpires();
        return e != null && e.getExpires() > 0 ? e.getExpires() : o.expires();
    }

    @Override
    public synchronized void timeout(TimeoutEvent ev) {
        if (ev.getClientTransaction() != null && Request.OPTIONS.equals(ev.getClientTransaction().getRequest().getMethod())) {
            lastResponse = "no answer to OPTIONS";
            setStatus(LineHealth.OFFLINE, "the carrier at " + o.host().getHostAddress() + ":" + o.port() + " does not answer OPTIONS");
            return;
        }
        fail("no answer from " + o.host().getHostAddress() + ":" + o.port());
    }

    private void fail(String why) {
        authTries = 0;
        failures++;
        setStatus(LineHealth.OFFLINE, why);
        long delay = backoffSeconds(failures);
        LOG.warn("Trunk {}: {}; registering again in {} s", o.name(), why, delay);
        schedule(delay);
    }

    /** When to try registering again after the n-th failure in a row: 30 s, 1, 2, 4, 8 min, then every 10 min. */
    static long backoffSeconds(int failures) {
        return Math.min(600, 30L << Math.min(5, Math.max(0, failures - 1)));
    }

    private void schedule(long seconds) {
        if (next != null) {
            next.cancel(false);
        }
        if (!stopped) {
            next = timer.schedule(() -> register(null, null), seconds, TimeUnit.SECONDS);
        }
    }

    private void setStatus(LineHealth health, String reason) {
        LineStatus now = status;
        if (now.health() != health || !now.reason().equals(reason)) {
            status = new LineStatus(health, reason, OptionalInt.empty(), health == LineHealth.ONLINE ? now.lastError() : reason,
                    clock.instant());
        }
    }

    // ------------------------------------------------------------------ Line

    @Override
    public String id() {
        return o.name();
    }

    @Override
    public String cardId() {
        return "sip";
    }

    @Override
    public LineKind kind() {
        return LineKind.SIP_TRUNK;
    }

    @Override
    public String number() {
        return o.callerId();
    }

    @Override
    public LineStatus status() {
        return status;
    }

    String lastResponse() {
        return lastResponse;
    }

    Instant registeredUntil() {
        return registeredUntil;
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("Carrier", o.host().getHostAddress() + ":" + o.port() + " (" + o.transport() + "), domain " + o.domain());
        d.put("Register", o.register() ? (registeredUntil == null ? "not yet" : "until " + registeredUntil) : "no");
        d.put("Last reply", lastResponse.isEmpty() ? "none yet" : lastResponse);
        d.put("DIDs", o.dids().isEmpty() ? "none" : String.join(", ", o.dids().keySet()));
        return d;
    }

    @Override
    public DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        SipCalls calls = server.calls();
        if (calls == null) {
            throw new LineUnavailableException("SIP is not running");
        }
        return calls.dialTrunk(this, number, callerId, signals);
    }
}
