package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What the sip: commands do, kept out of the command classes (which only parse and print).
 * Errors come back as {@link IllegalArgumentException} with a message for the technician.
 */
public final class SipShell {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private final SipServer server;

    public SipShell(SipServer server) {
        this.server = server;
    }

    /** One row of sip:extensions. */
    public record ExtensionRow(String number, String name, int contacts, String networks, boolean dialOut) {
    }

    /** One row of sip:registrations. */
    public record RegistrationRow(String extension, String contact, String source, String transport, long expiresIn,
                                  String userAgent, boolean nat) {
    }

    /** One row of sip:trunks. */
    public record TrunkRow(String name, String carrier, String register, String status, String lastResponse,
                           String expiresIn, String dids, String outbound) {
    }

    public List<TrunkRow> trunks() {
        Instant now = Instant.now();
        return server.trunks().stream().map(t -> {
            SipTrunk.Options o = t.options();
            var st = t.status();
            Instant until = t.registeredUntil();
            String state = st.health() == org.switchboard.core.spi.LineHealth.ONLINE ? "ONLINE" : "FAILED: " + st.reason();
            return new TrunkRow(o.name(), o.host().getHostAddress() + ":" + o.port() + "/" + o.transport(),
                    o.register() ? o.username() + "@" + o.domain() : "no", state,
                    t.lastResponse().isEmpty() ? "-" : t.lastResponse(),
                    until == null || !o.register() ? "-" : Math.max(0, until.getEpochSecond() - now.getEpochSecond()) + " s",
                    o.dids().isEmpty() ? "-" : o.dids().entrySet().stream()
                            .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + ">" + e.getValue())
                            .collect(java.util.stream.Collectors.joining(", ")),
                    o.outbound() ? "yes" : "no");
        }).toList();
    }

    public String status() {
        SipOptions o = server.options();
        String why = server.notRunning();
        StringBuilder sb = new StringBuilder();
        if (why != null) {
            sb.append("SIP:           NOT RUNNING: ").append(why).append('\n');
        } else {
            sb.append("SIP:           running on ").append(o.bind().getHostAddress()).append(" (udp ").append(o.udpPort())
                    .append(", tcp ").append(o.tcpPort()).append(", tls ").append(o.tlsPort() == 0 ? "off" : o.tlsPort()).append(")\n");
            sb.append("Announced as:  ").append(o.announced().getHostAddress()).append('\n');
        }
        if (o != null) {
            sb.append("Realm:         ").append(o.realm()).append('\n');
        }
        sb.append("Extensions:    ").append(server.extensions().all().size()).append(", ")
                .append(server.registrations().all().size()).append(" registered contacts\n");
        SipCalls c = server.calls();
        sb.append("SIP legs:      ").append(c == null ? 0 : c.activeLegs()).append('\n');
        sb.append("Blocked:       ").append(server.guard().blocked().size()).append(" source(s); ")
                .append(server.guard().refusedRequests()).append(" requests refused by lockout or rate limit\n");
        sb.append("Overload:      ").append(server.overloadRefused()).append(" new calls refused with 503 while the stack was behind\n");
        SipContext ctx = server.context();
        sb.append("Malformed:     ").append(ctx == null ? 0 : ctx.sip.malformed.malformed())
                .append(" messages that did not parse or lacked Via/From/To/Call-ID/CSeq (answered 400 or dropped)\n");
        sb.append("Traced:        ").append(server.tracer().traced().isEmpty() ? "nothing" : String.join(", ", server.tracer().traced()));
        return sb.toString();
    }

    public List<ExtensionRow> extensions() {
        return server.extensions().all().stream().map(e -> new ExtensionRow(e.number(), e.displayName(),
                server.registrations().of(e.number()).size(), e.allowed().toString(), e.dialOut())).toList();
    }

    /** Adds an extension with a generated password, which is returned to be shown once. */
    public String add(String number, String name, String networks, boolean dialOut) throws SQLException {
        if (!Extensions.NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException("'" + number + "' is not an extension number; allowed: 2-12 digits");
        }
        if (server.extensions().get(number).isPresent()) {
            throw new IllegalArgumentException("extension " + number + " exists; change its password with sip:extensions passwd " + number);
        }
        Networks nets = Networks.parse(networks);
        String pw = generate();
        server.extensions().add(number, name == null || name.isBlank() ? number : name, pw.toCharArray(), realm(), nets, dialOut);
        return pw;
    }

    public String passwd(String number) throws SQLException {
        String pw = generate();
        if (!server.extensions().setPassword(number, pw.toCharArray(), realm())) {
            throw new IllegalArgumentException("no extension " + number);
        }
        return pw;
    }

    public void remove(String number) throws SQLException {
        if (!server.extensions().remove(number)) {
            throw new IllegalArgumentException("no extension " + number);
        }
        server.registrations().removeAll(number);
    }

    private String realm() {
        SipOptions o = server.options();
        return o == null ? "switchboard" : o.realm();
    }

    /** 16 characters a phone's keypad can still take, about 94 bits. */
    private static String generate() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public List<RegistrationRow> registrations() {
        long now = Instant.now().getEpochSecond();
        return server.registrations().all().stream().map(b -> new RegistrationRow(b.extension(), b.contact(),
                b.source().getAddress().getHostAddress() + ":" + b.source().getPort(), b.transport(),
                b.expires().getEpochSecond() - now, b.userAgent(), b.behindNat())).toList();
    }

    public List<SourceGuard.Block> blocked() {
        return server.guard().blocked();
    }

    public boolean unblock(String address) {
        try {
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(address);
            }
            return server.guard().unblock(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
    }

    public String trace(String onOff, String who) {
        boolean on = switch (onOff) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("'" + onOff + "': say on or off");
        };
        // a trunk by its name: its carrier's address is what the messages carry
        String named = who;
        who = server.trunks().stream().filter(t -> t.id().equals(named)).findFirst()
                .map(t -> t.options().host().getHostAddress()).orElse(who);
        if (on && !Extensions.NUMBER.matcher(who).matches() && !who.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + who + "' is neither an extension number, a trunk's name nor an IP address");
        }
        if (on) {
            server.tracer().on(who);
            return "Tracing SIP messages of " + (named.equals(who) ? who : "trunk " + named + " (" + who + ")") + " to logger org.switchboard.sip.trace (log:tail to watch)";
        }
        return server.tracer().off(who) ? "Tracing of " + who + " stopped" : who + " was not traced";
    }
}
