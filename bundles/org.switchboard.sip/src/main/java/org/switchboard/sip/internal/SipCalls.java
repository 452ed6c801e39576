package org.switchboard.sip.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.stack.SIPServerTransaction;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.rtp.RtpEngine;
import org.switchboard.media.rtp.RtpException;
import org.switchboard.core.spi.DirectMediaPort;
import org.switchboard.media.rtp.RtpStream;

/**
 * SIP calls as core channels: INVITE with SDP offer/answer, provisional responses, ACK, BYE,
 * CANCEL, re-INVITE for hold and resume, and REFER from a phone (unattended transfer). Calls from
 * extensions authenticate with digest (407); the extensions are reachable through the line
 * {@value #LINE} ("dial" an extension number on it).
 */
final class SipCalls {

    static final String LINE = "sip";
    private static final Logger LOG = LoggerFactory.getLogger(SipCalls.class);

    private final SipContext sip;
    private final Registrar registrar;
    private final Registrations registrations;
    private final Extensions extensions;
    private final ChannelPublisher publisher;
    private final CallControl calls;
    private final RtpEngine rtp;
    private final Clock clock;
    private final Set<SipLeg> legs = ConcurrentHashMap.newKeySet();
    /** The same legs by the core's channel id. */
    private final Map<String, SipLeg> legsByChannel = new ConcurrentHashMap<>();
    private final ServiceRegistration<Line> lineRegistration;
    private final Instant since;

    private final SipServer server;

    SipCalls(SipServer server, SipContext sip, Registrar registrar, Registrations registrations, Extensions extensions,
             ChannelPublisher publisher, CallControl calls, RtpEngine rtp, BundleContext context, Clock clock) {
        this.server = server;
        this.sip = sip;
        this.registrar = registrar;
        this.registrations = registrations;
        this.extensions = extensions;
        this.publisher = publisher;
        this.calls = calls;
        this.rtp = rtp;
        this.clock = clock;
        this.since = clock.instant();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("line.id", LINE);
        props.put("line.driver", "sip");
        this.lineRegistration = context == null ? null : context.registerService(Line.class, new ExtensionsLine(), props);
    }

    /** Ends every leg (the stack is going away) and withdraws the line. */
    void close() {
        for (SipLeg leg : List.copyOf(legs)) {
            ChannelSignals s = leg.signals;
            end(leg);
            if (s != null) {
                s.hungUp(HangupCause.NETWORK_OUT_OF_ORDER);
            }
        }
        if (lineRegistration != null) {
            try {
                lineRegistration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    int activeLegs() {
        return legs.size();
    }

    List<SipLeg> legs() {
        return List.copyOf(legs);
    }

    // ------------------------------------------------------------------ inbound

    void invite(RequestEvent ev) {
        Request r = ev.getRequest();
        if (ev.getDialog() != null && ev.getDialog().getApplicationData() instanceof SipLeg leg && leg.state == SipLeg.State.UP) {
            reinvite(ev, leg);
            return;
        }
        ServerTransaction st = sip.transaction(ev);
        if (st == null) {
            return; // a retransmission, being handled
        }
        InetSocketAddress src = SipContext.source(r);
        sip.reply(st, r, 100);
        URI ruri = r.getRequestURI();
        String called = ruri instanceof SipURI u && u.getUser() != null ? u.getUser() : "";
        FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
        Optional<SipTrunk> trunk = server.trunkFrom(src);
        if (trunk.isEmpty() && r.getHeader("Proxy-Authorization") == null) {
            // a DID may be called from anywhere (a carrier peering without registration, a
            // SIP URI on a business card); everything else needs an authenticated extension
            trunk = server.trunkWithDid(called);
        }
        if (trunk.isPresent()) {
            if (trunk.get().did(called).isEmpty()) {
                LOG.info("Call from trunk {} to '{}': not one of its DIDs", trunk.get().id(), called);
                sip.reply(st, r, 404);
                return;
            }
            inboundFromTrunk(st, r, trunk.get(), called, from);
            return;
        }
        Registrar.Authenticated auth = registrar.authenticate(st, r, src, null, "Proxy-Authorization", 407);
        if (auth == null) {
            return;
        }
        String name = from.getAddress().getDisplayName();
        CallerId caller = CallerId.of(auth.extension().number(),
                name != null && !name.isBlank() ? name : auth.extension().displayName());
        accept(st, r, LINE, auth.extension().number(), "Call from " + auth.extension().number(), Codec.PCMU, caller, called);
    }

    /** A call from the carrier to one of the trunk's DIDs: a leg on the trunk's line. */
    private void inboundFromTrunk(ServerTransaction st, Request r, SipTrunk trunk, String did, FromHeader from) {
        accept(st, r, trunk.id(), "", "Call on trunk " + trunk.id(), Codec.PCMA, callerOf(r, from), did);
    }

    /**
     * An inbound INVITE the box takes: its offer negotiated (488 when unusable), an RTP stream
     * (503 when none is free), a leg on {@code lineId} published to the core as a ringing channel.
     */
    private void accept(ServerTransaction st, Request r, String lineId, String extension, String what, Codec preferred,
            CallerId caller, String called) {
        Sdp.Audio offer = null;
        Codec codec = preferred;
        if (r.getRawContent() != null && r.getRawContent().length > 0) {
            try {
                offer = Sdp.parse(new String(r.getRawContent(), StandardCharsets.UTF_8));
                codec = Sdp.choose(offer);
            } catch (Sdp.SdpProblem e) {
                Response resp = sip.response(488, r);
                sip.addHeader(resp, "Warning", "399 switchboard \"" + e.getMessage().replace('"', '\'') + "\"");
                sip.send(st, r, resp);
                return;
            }
        }
        RtpStream stream;
        try {
            stream = rtp.open("sip/" + (extension.isEmpty() ? lineId : extension), sip.options.bind());
        } catch (RtpException e) {
            LOG.error("{} refused: {}", what, e.getMessage());
            sip.reply(st, r, 503);
            return;
        }
        SipLeg leg = new SipLeg(this, true, stream, lineId, extension);
        leg.inviteTx = st;
        leg.invite = r;
        leg.lateOffer = offer == null;
        configure(stream, offer, codec);
        legs.add(leg);
        Dialog dialog = st.getDialog();
        if (dialog != null) {
            dialog.setApplicationData(leg);
            leg.dialog = dialog;
        }
        st.setApplicationData(leg);
        stream.onDtmf((digit, ms) -> leg.signal(sg -> sg.dtmf(digit, ms)));
        ChannelSignals signals = publisher.inbound(lineId, caller, called, leg);
        legsByChannel.put(signals.channelId(), leg);
        leg.published(signals);
        stream.label(signals.channelId());
    }

    /** The caller as a carrier presents it: P-Asserted-Identity over From; withheld by Privacy: id or anonymous. */
    private static CallerId callerOf(Request r, FromHeader from) {
        String pai = SipContext.values(r, "P-Asserted-Identity").stream().findFirst().orElse("");
        String number = userOf(pai);
        if (number.isEmpty() && from.getAddress().getURI() instanceof SipURI u && u.getUser() != null) {
            number = u.getUser();
        }
        String privacy = String.join(";", SipContext.values(r, "Privacy")).toLowerCase(java.util.Locale.ROOT);
        if (privacy.contains("id") || number.equalsIgnoreCase("anonymous")) {
            return CallerId.withheld();
        }
        String name = from.getAddress().getDisplayName();
        return number.matches("\\+?[0-9]{1,32}") ? CallerId.of(number, name == null ? "" : name) : CallerId.of("", name == null ? "" : name);
    }

    private static void configure(RtpStream stream, Sdp.Audio offer, Codec codec) {
        stream.codec(codec);
        if (offer != null) {
            stream.remote(offer.address());
            stream.telephoneEvent(offer.telephoneEvent() >= 96 && offer.telephoneEvent() <= 127 ? offer.telephoneEvent() : -1);
        }
    }

    /** The core answers an inbound leg: 200 with the SDP answer; audio when the ACK comes. */
    void answer(SipLeg leg) {
        stopEarlyMedia(leg);
        synchronized (leg) {
            if (!leg.inbound || leg.state != SipLeg.State.SETUP) {
                return;
            }
            Request r = leg.invite;
            Response ok = sip.response(200, r);
            sip.tag(ok, leg.localTag);
            ok.addHeader(contact(SipContext.transport(r)));
            String body;
            if (leg.lateOffer) {
                body = Sdp.offer(new InetSocketAddress(sip.options.announced(), leg.stream.local().getPort()), leg.sdpSession,
                        leg.sdpVersion, Codec.PCMU, Sdp.Direction.SENDRECV);
            } else {
                body = sdpAnswer(leg);
            }
            setBody(ok, body);
            leg.state = SipLeg.State.ANSWERING;
            sip.send(leg.inviteTx, r, ok);
        }
    }

    /** The SDP answer to an inbound leg's offer (the same in a 183 and in the 200). */
    private String sdpAnswer(SipLeg leg) {
        Sdp.Audio offer;
        try {
            offer = Sdp.parse(new String(leg.invite.getRawContent(), StandardCharsets.UTF_8));
        } catch (Sdp.SdpProblem e) {
            throw new IllegalStateException("the offer parsed before", e);
        }
        return Sdp.answer(offer, leg.stream.codec(), new InetSocketAddress(sip.options.announced(),
                leg.stream.local().getPort()), leg.sdpSession, leg.sdpVersion);
    }

    /**
     * Early media: the leg dialled for a caller sends ringback or an announcement before it answers
     * (a carrier's 183 with SDP). The caller gets 183 with the box's SDP answer and the two RTP
     * streams relay to each other until the answer, when the core's bridge takes over. Only between
     * two SIP legs with the same codec and a caller that made an offer; otherwise the caller gets
     * 180 and hears nothing until the answer.
     */
    void earlyMedia(String callerChannelId, String calleeChannelId) {
        SipLeg a = legsByChannel.get(callerChannelId);
        SipLeg b = legsByChannel.get(calleeChannelId);
        if (a == null || b == null || !a.inbound || b.inbound || !b.earlyMedia) {
            return;
        }
        synchronized (a) {
            if (a.state != SipLeg.State.SETUP || a.earlyPeer != null || a.lateOffer || a.stream.codec() != b.stream.codec()
                    || b.state != SipLeg.State.SETUP) {
                return;
            }
            Response progress = sip.response(183, a.invite);
            sip.tag(progress, a.localTag);
            progress.addHeader(contact(SipContext.transport(a.invite)));
            setBody(progress, sdpAnswer(a));
            if (!(a.stream instanceof DirectMediaPort da) || !(b.stream instanceof DirectMediaPort db)
                    || !da.relayTo(b.stream) || !db.relayTo(a.stream)) {
                stopRelay(a.stream);
                stopRelay(b.stream);
                return;
            }
            a.earlyPeer = b;
            b.earlyPeer = a;
            a.ringingSent = true;
            sip.send(a.inviteTx, a.invite, progress);
        }
        LOG.info("{}: early media from {}", a, b);
    }

    /** Ends an early-media relay (the answer, or either leg ending); the core bridges from here. */
    private void stopEarlyMedia(SipLeg leg) {
        SipLeg peer = leg.earlyPeer;
        if (peer == null) {
            return;
        }
        leg.earlyPeer = null;
        peer.earlyPeer = null;
        stopRelay(leg.stream);
        stopRelay(peer.stream);
    }

    private static void stopRelay(RtpStream stream) {
        if (stream instanceof DirectMediaPort d) {
            d.stopRelay();
        }
    }

    void ack(RequestEvent ev) {
        Dialog d = ev.getDialog();
        if (d == null || !(d.getApplicationData() instanceof SipLeg leg)) {
            return;
        }
        synchronized (leg) {
            if (leg.state != SipLeg.State.ANSWERING) {
                return;
            }
            if (leg.lateOffer) {
                byte[] body = ev.getRequest().getRawContent();
                try {
                    Sdp.Audio answer = Sdp.parse(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
                    configure(leg.stream, answer, Sdp.choose(answer));
                } catch (Sdp.SdpProblem e) {
                    LOG.warn("{}: the SDP in the ACK is unusable ({}); hanging up", leg, e.getMessage());
                    sendBye(leg, HangupCause.BEARERCAPABILITY_NOTIMPL);
                    end(leg);
                    leg.signal(s -> s.hungUp(HangupCause.BEARERCAPABILITY_NOTIMPL));
                    return;
                }
            }
            leg.state = SipLeg.State.UP;
        }
        leg.signal(ChannelSignals::answered);
    }

    void cancel(RequestEvent ev) {
        Request r = ev.getRequest();
        ServerTransaction st = sip.transaction(ev);
        SipLeg leg = null;
        if (st instanceof SIPServerTransaction s && s.getCanceledInviteTransaction() != null
                && s.getCanceledInviteTransaction().getApplicationData() instanceof SipLeg l) {
            leg = l;
        }
        if (leg == null) {
            sip.reply(st, r, 481);
            return;
        }
        sip.reply(st, r, 200);
        boolean ended = false;
        synchronized (leg) {
            if (leg.state == SipLeg.State.SETUP || leg.state == SipLeg.State.ANSWERING) {
                Response terminated = sip.response(487, leg.invite);
                sip.tag(terminated, leg.localTag);
                sip.send(leg.inviteTx, leg.invite, terminated);
                ended = true;
            }
        }
        if (ended) {
            end(leg);
            HangupCause cause = Causes.fromReason(SipContext.values(r, "Reason"), HangupCause.NORMAL_CLEARING);
            leg.signal(s -> s.hungUp(cause));
        }
    }

    /**
     * The other leg of an inbound call rings: 180 to the caller (once; not before, so a call the box
     * refuses gets its final answer without a ringing first).
     */
    void ringing(String channelId) {
        SipLeg leg = legsByChannel.get(channelId);
        if (leg == null || !leg.inbound) {
            return;
        }
        synchronized (leg) {
            if (leg.state == SipLeg.State.SETUP && !leg.ringingSent) {
                leg.ringingSent = true;
                Response ringing = sip.response(180, leg.invite);
                sip.tag(ringing, leg.localTag);
                sip.send(leg.inviteTx, leg.invite, ringing);
            }
        }
    }

    void bye(RequestEvent ev) {
        Request r = ev.getRequest();
        ServerTransaction st = sip.transaction(ev);
        Dialog d = ev.getDialog();
        SipLeg leg = d != null && d.getApplicationData() instanceof SipLeg l ? l : null;
        sip.reply(st, r, leg == null ? 481 : 200);
        if (leg != null && leg.state != SipLeg.State.ENDED) {
            end(leg);
            HangupCause cause = Causes.fromReason(SipContext.values(r, "Reason"), HangupCause.NORMAL_CLEARING);
            leg.signal(s -> s.hungUp(cause));
        }
    }

    /**
     * SIP INFO in a call: keys from phones that send DTMF as INFO instead of RFC 4733
     * ({@code application/dtmf-relay}: {@code Signal=5} and {@code Duration=160}; or
     * {@code application/dtmf}: {@code 5}). Other INFO bodies are acknowledged and ignored.
     */
    void info(RequestEvent ev) {
        Request r = ev.getRequest();
        ServerTransaction st = sip.transaction(ev);
        Dialog d = ev.getDialog();
        SipLeg leg = d != null && d.getApplicationData() instanceof SipLeg l ? l : null;
        if (leg == null) {
            sip.reply(st, r, 481);
            return;
        }
        javax.sip.header.ContentTypeHeader ct = (javax.sip.header.ContentTypeHeader) r.getHeader(javax.sip.header.ContentTypeHeader.NAME);
        byte[] raw = r.getRawContent();
        String body = raw == null ? "" : new String(raw, StandardCharsets.US_ASCII);
        String type = ct == null ? "" : (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(java.util.Locale.ROOT);
        InfoKey key = InfoKey.parse(type, body);
        if (key == null && (type.equals("application/dtmf-relay") || type.equals("application/dtmf"))) {
            sip.reply(st, r, 400);
            return;
        }
        sip.reply(st, r, 200);
        if (key != null && leg.state == SipLeg.State.UP) {
            leg.signal(s -> s.dtmf(key.digit(), key.durationMs()));
        }
    }

    /** A key sent as SIP INFO. */
    record InfoKey(char digit, int durationMs) {

        static InfoKey parse(String type, String body) {
            String signal = null;
            int duration = 160;
            if (type.equals("application/dtmf-relay")) {
                for (String line : body.split("\\r?\\n")) {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String k = line.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
                    String v = line.substring(eq + 1).trim();
                    if (k.equals("signal")) {
                        signal = v;
                    } else if (k.equals("duration") && v.matches("\\d{1,5}")) {
                        duration = Integer.parseInt(v);
                    }
                }
            } else if (type.equals("application/dtmf")) {
                signal = body.trim();
            } else {
                return null;
            }
            if (signal == null) {
                return null;
            }
            signal = signal.toUpperCase(java.util.Locale.ROOT);
            // some phones send the event number (RFC 4733 numbering: 10 = *, 11 = #)
            String keys = "0123456789*#ABCD";
            if (signal.matches("1[0-5]")) {
                return new InfoKey(keys.charAt(Integer.parseInt(signal)), duration);
            }
            return signal.length() == 1 && keys.indexOf(signal.charAt(0)) >= 0 ? new InfoKey(signal.charAt(0), duration) : null;
        }
    }

    /** Hold and resume: the direction of the new offer decides what the box answers; the stream follows the address. */
    private void reinvite(RequestEvent ev, SipLeg leg) {
        Request r = ev.getRequest();
        ServerTransaction st = sip.transaction(ev);
        if (st == null) {
            return;
        }
        byte[] body = r.getRawContent();
        Sdp.Audio offer;
        Codec codec;
        try {
            offer = Sdp.parse(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
            codec = Sdp.choose(offer);
        } catch (Sdp.SdpProblem e) {
            sip.reply(st, r, 488);
            return;
        }
        synchronized (leg) {
            if (!offer.address().getAddress().isAnyLocalAddress()) {
                configure(leg.stream, offer, codec);
            }
            leg.sdpVersion++;
            Response ok = sip.response(200, r);
            ok.addHeader(contact(SipContext.transport(r)));
            setBody(ok, Sdp.answer(offer, codec, new InetSocketAddress(sip.options.announced(), leg.stream.local().getPort()),
                    leg.sdpSession, leg.sdpVersion));
            sip.send(st, r, ok);
        }
        leg.held = offer.hold();
        LOG.info("{}: {}", leg, offer.hold() ? "on hold" : "resumed");
    }

    // ------------------------------------------------------------------ outbound

    /** Dials an extension: an INVITE to its newest registered phone. */
    DriverChannel dialExtension(String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        if (extensions.get(number).isEmpty()) {
            throw new LineUnavailableException("no extension " + number);
        }
        List<Registrations.Binding> where = registrations.of(number);
        if (where.isEmpty()) {
            throw new LineUnavailableException("extension " + number + " is not registered");
        }
        Registrations.Binding b = where.get(0);
        RtpStream stream;
        try {
            stream = rtp.open("sip/" + number, sip.options.bind());
        } catch (RtpException e) {
            throw new LineUnavailableException(e.getMessage());
        }
        SipLeg leg = new SipLeg(this, false, stream, LINE, number);
        leg.signals = signals;
        stream.label(signals.channelId());
        legsByChannel.put(signals.channelId(), leg);
        stream.onDtmf((digit, ms) -> signals.dtmf(digit, ms));
        try {
            Request invite = newInvite(b, number, callerId, leg);
            ClientTransaction ct = sip.sip.provider.getNewClientTransaction(invite);
            ct.setApplicationData(leg);
            leg.outTx = ct;
            Dialog d = ct.getDialog();
            if (d != null) {
                d.setApplicationData(leg);
                leg.dialog = d;
            }
            legs.add(leg);
            sip.tracer.trace("->", invite, b.source().getAddress(), b.source().getPort());
            ct.sendRequest();
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
            stream.close();
            throw new LineUnavailableException("cannot call extension " + number + ": " + e.getMessage());
        }
        return leg;
    }

    /** Dials an outside number through a trunk. */
    DriverChannel dialTrunk(SipTrunk trunk, String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
        if (!number.matches("\\+?[0-9*#]{1,32}")) {
            throw new LineUnavailableException("'" + number + "' is not a number to dial on trunk " + trunk.id());
        }
        RtpStream stream;
        try {
            stream = rtp.open("sip/" + trunk.id(), sip.options.bind());
        } catch (RtpException e) {
            throw new LineUnavailableException(e.getMessage());
        }
        SipLeg leg = new SipLeg(this, false, stream, trunk.id(), "");
        leg.signals = signals;
        stream.label(signals.channelId());
        legsByChannel.put(signals.channelId(), leg);
        leg.trunk = trunk;
        stream.onDtmf((digit, ms) -> signals.dtmf(digit, ms));
        try {
            var af = sip.sip.addresses;
            var hf = sip.sip.headers;
            SipTrunk.Options o = trunk.options();
            SipURI target = af.createSipURI(number, o.host().getHostAddress());
            target.setPort(o.port());
            if (o.transport().equals("tcp")) {
                target.setTransportParam("tcp");
            }
            Address fromAddr = af.createAddress(af.createSipURI(o.callerId().isEmpty() ? "anonymous" : o.callerId(), o.domain()));
            Address toAddr = af.createAddress(af.createSipURI(number, o.domain()));
            javax.sip.ListeningPoint lp = sip.sip.point(o.transport());
            ViaHeader via = hf.createViaHeader(sip.options.announced().getHostAddress(), lp.getPort(), lp.getTransport(), null);
            via.setRPort();
            Request invite = sip.sip.messages.createRequest(target, Request.INVITE, sip.sip.provider.getNewCallId(),
                    hf.createCSeqHeader(1L, Request.INVITE), hf.createFromHeader(fromAddr, leg.localTag),
                    hf.createToHeader(toAddr, null), new ArrayList<>(List.of(via)), hf.createMaxForwardsHeader(70));
            invite.addHeader(contact(lp.getTransport()));
            setBody(invite, Sdp.offer(new InetSocketAddress(sip.options.announced(), stream.local().getPort()), leg.sdpSession,
                    leg.sdpVersion, Codec.PCMA, Sdp.Direction.SENDRECV));
            sendInvite(leg, invite);
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
            stream.close();
            throw new LineUnavailableException("cannot call " + number + " on trunk " + trunk.id() + ": " + e.getMessage());
        }
        return leg;
    }

    private void sendInvite(SipLeg leg, Request invite) throws SipException {
        ClientTransaction ct = sip.sip.provider.getNewClientTransaction(invite);
        ct.setApplicationData(leg);
        synchronized (leg) {
            leg.outTx = ct;
            leg.lastInvite = invite;
            Dialog d = ct.getDialog();
            if (d != null) {
                d.setApplicationData(leg);
                leg.dialog = d;
            }
        }
        legs.add(leg);
        ct.sendRequest();
    }

    /** The carrier wants credentials for an outbound INVITE: send it again, once, with them. */
    private boolean authenticateInvite(SipLeg leg, Response resp) {
        if (leg.trunk == null || leg.authTried || leg.lastInvite == null) {
            return false;
        }
        int status = resp.getStatusCode();
        String challengeHeader = status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        String authHeader = status == 401 ? "Authorization" : "Proxy-Authorization";
        SipTrunk.Options o = leg.trunk.options();
        for (String challenge : SipContext.values(resp, challengeHeader)) {
            String answer = ClientDigest.answer(challenge, o.authUsername(), o.password(), Request.INVITE,
                    leg.lastInvite.getRequestURI().toString(), 1);
            if (answer == null) {
                continue;
            }
            try {
                Request again = (Request) leg.lastInvite.clone();
                CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
                cseq.setSeqNumber(cseq.getSeqNumber() + 1);
                again.removeHeader(ViaHeader.NAME);
                javax.sip.ListeningPoint lp = sip.sip.point(o.transport());
                ViaHeader via = sip.sip.headers.createViaHeader(sip.options.announced().getHostAddress(), lp.getPort(),
                        lp.getTransport(), null);
                via.setRPort();
                again.addHeader(via);
                again.setHeader(sip.sip.headers.createHeader(authHeader, answer));
                leg.authTried = true;
                sendInvite(leg, again);
                return true;
            } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
                LOG.warn("{}: could not answer the carrier's challenge: {}", leg, e.getMessage());
                return false;
            }
        }
        return false;
    }

    private Request newInvite(Registrations.Binding b, String number, CallerId callerId, SipLeg leg)
            throws ParseException, javax.sip.InvalidArgumentException {
        var af = sip.sip.addresses;
        var hf = sip.sip.headers;
        String host = sip.options.announced().getHostAddress();
        URI target = af.createURI(b.contact());
        SipURI fromUri = af.createSipURI(callerId.number().isEmpty() ? "anonymous" : callerId.number(), host);
        Address fromAddr = af.createAddress(fromUri);
        if (!callerId.name().isEmpty()) {
            fromAddr.setDisplayName(callerId.name());
        }
        Address toAddr = af.createAddress(af.createSipURI(number, host));
        String transport = sip.sip.transportOf(b.transport());
        javax.sip.ListeningPoint lp = sip.sip.point(transport);
        ViaHeader via = hf.createViaHeader(host, lp.getPort(), transport, null);
        via.setRPort();
        CallIdHeader callId = sip.sip.provider.getNewCallId();
        Request invite = sip.sip.messages.createRequest(target, Request.INVITE, callId,
                hf.createCSeqHeader(1L, Request.INVITE), hf.createFromHeader(fromAddr, leg.localTag),
                hf.createToHeader(toAddr, null), new ArrayList<>(List.of(via)), hf.createMaxForwardsHeader(70));
        invite.addHeader(contact(transport));
        if (b.behindNat()) {
            // the phone is behind NAT: send where its REGISTER came from, not to its private contact
            SipURI route = af.createSipURI(null, b.source().getAddress().getHostAddress());
            route.setPort(b.source().getPort());
            route.setTransportParam(transport);
            route.setLrParam();
            invite.addHeader(hf.createRouteHeader(af.createAddress(route)));
        }
        setBody(invite, Sdp.offer(new InetSocketAddress(sip.options.announced(), leg.stream.local().getPort()), leg.sdpSession,
                leg.sdpVersion, Codec.PCMU, Sdp.Direction.SENDRECV));
        return invite;
    }

    void response(ResponseEvent ev) {
        Response resp = ev.getResponse();
        CSeqHeader cseq = (CSeqHeader) resp.getHeader(CSeqHeader.NAME);
        if (cseq == null || !cseq.getMethod().equals(Request.INVITE)) {
            return; // BYE, CANCEL: nothing to do
        }
        ClientTransaction ct = ev.getClientTransaction();
        SipLeg leg = ct != null && ct.getApplicationData() instanceof SipLeg l ? l
                : ev.getDialog() != null && ev.getDialog().getApplicationData() instanceof SipLeg l2 ? l2 : null;
        if (leg == null) {
            return;
        }
        int status = resp.getStatusCode();
        if (status < 200) {
            byte[] early = resp.getRawContent();
            if (status != 100 && early != null && early.length > 0 && !leg.earlyMedia) {
                try {
                    Sdp.Audio answer = Sdp.parse(new String(early, StandardCharsets.UTF_8));
                    synchronized (leg) {
                        if (leg.state == SipLeg.State.SETUP) {
                            configure(leg.stream, answer, Sdp.choose(answer));
                            leg.earlyMedia = true;
                        }
                    }
                } catch (Sdp.SdpProblem e) {
                    LOG.info("{}: {} with unusable SDP ({}); taken as ringing", leg, status, e.getMessage());
                }
            }
            if (status == 180 || status == 183) {
                leg.signals.alerting();
                if (leg.earlyMedia) {
                    server.earlyMediaFrom(leg.signals.channelId());
                }
            }
            return;
        }
        Dialog d = ev.getDialog() != null ? ev.getDialog() : leg.dialog;
        if (status < 300) {
            try {
                if (d != null) {
                    d.sendAck(d.createAck(cseq.getSeqNumber()));
                }
            } catch (SipException | javax.sip.InvalidArgumentException e) {
                LOG.warn("{}: could not acknowledge the answer: {}", leg, e.getMessage());
            }
            boolean answered;
            synchronized (leg) {
                answered = leg.state == SipLeg.State.SETUP;
                if (answered) {
                    byte[] body = resp.getRawContent();
                    try {
                        Sdp.Audio answer = Sdp.parse(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
                        configure(leg.stream, answer, Sdp.choose(answer));
                        leg.dialog = d;
                        leg.state = SipLeg.State.UP;
                    } catch (Sdp.SdpProblem e) {
                        LOG.warn("{}: the answer's SDP is unusable ({}); hanging up", leg, e.getMessage());
                        leg.dialog = d;
                        sendBye(leg, HangupCause.BEARERCAPABILITY_NOTIMPL);
                        end(leg);
                        leg.signals.hungUp(HangupCause.BEARERCAPABILITY_NOTIMPL);
                        return;
                    }
                }
            }
            if (answered) {
                stopEarlyMedia(leg);
                leg.signals.answered();
            }
            return;
        }
        if ((status == 401 || status == 407) && authenticateInvite(leg, resp)) {
            return;
        }
        if (leg.state != SipLeg.State.ENDED) {
            end(leg);
            leg.signals.hungUp(Causes.fromSip(status));
        }
    }

    void timeout(TimeoutEvent ev) {
        if (ev.isServerTransaction()) {
            return;
        }
        ClientTransaction ct = ev.getClientTransaction();
        if (ct != null && ct.getApplicationData() instanceof SipLeg leg && leg.state == SipLeg.State.SETUP) {
            end(leg);
            leg.signals.hungUp(HangupCause.RECOVERY_ON_TIMER_EXPIRE);
        }
    }

    void dialogTerminated(DialogTerminatedEvent ev) {
        if (ev.getDialog().getApplicationData() instanceof SipLeg leg && leg.state != SipLeg.State.ENDED) {
            // e.g. a 200 that was never acknowledged
            end(leg);
            leg.signals.hungUp(HangupCause.RECOVERY_ON_TIMER_EXPIRE);
        }
    }

    // ------------------------------------------------------------------ the box hangs up

    void hangup(SipLeg leg, HangupCause cause) {
        synchronized (leg) {
            switch (leg.state) {
                case SETUP -> {
                    if (leg.inbound) {
                        Response refuse = sip.response(Causes.toSip(cause), leg.invite);
                        sip.tag(refuse, leg.localTag);
                        sip.addHeader(refuse, "Reason", reason(cause));
                        sip.send(leg.inviteTx, leg.invite, refuse);
                    } else {
                        cancelOutbound(leg, cause);
                    }
                }
                case ANSWERING, UP -> sendBye(leg, cause);
                case ENDED -> {
                    return;
                }
            }
        }
        end(leg);
    }

    /** RFC 3326: the Q.850 cause travels with the BYE or CANCEL, so the far side can tell busy from error. */
    private static String reason(HangupCause cause) {
        return "Q.850;cause=" + cause.code() + ";text=\"" + cause.name() + "\"";
    }

    private void cancelOutbound(SipLeg leg, HangupCause cause) {
        try {
            Request cancel = leg.outTx.createCancel();
            sip.addHeader(cancel, "Reason", reason(cause));
            ClientTransaction ct = sip.sip.provider.getNewClientTransaction(cancel);
            ct.sendRequest();
        } catch (SipException e) {
            LOG.debug("{}: CANCEL not sent: {}", leg, e.getMessage());
        }
    }

    private void sendBye(SipLeg leg, HangupCause cause) {
        Dialog d = leg.dialog;
        if (d == null) {
            return;
        }
        try {
            Request bye = d.createRequest(Request.BYE);
            sip.addHeader(bye, "Reason", reason(cause));
            ClientTransaction ct = sip.sip.provider.getNewClientTransaction(bye);
            d.sendRequest(ct);
        } catch (SipException e) {
            LOG.debug("{}: BYE not sent: {}", leg, e.getMessage());
        }
    }

    private void end(SipLeg leg) {
        leg.state = SipLeg.State.ENDED;
        stopEarlyMedia(leg);
        leg.stream.close();
        legs.remove(leg);
        if (leg.signals != null) {
            legsByChannel.remove(leg.signals.channelId(), leg);
        }
        // The stack keeps a dialog and its transactions for up to 64*T1 (32 s) after the call to absorb
        // retransmissions; they must not keep the leg and its media buffers alive that long (at a few
        // hundred calls a second that is most of the heap). Late requests on the dialog then get 481.
        if (leg.dialog != null && leg.dialog.getApplicationData() == leg) {
            leg.dialog.setApplicationData(null);
        }
        if (leg.inviteTx != null && leg.inviteTx.getApplicationData() == leg) {
            leg.inviteTx.setApplicationData(null);
        }
        if (leg.outTx != null && leg.outTx.getApplicationData() == leg) {
            leg.outTx.setApplicationData(null);
        }
    }

    // ------------------------------------------------------------------ transfer

    /**
     * REFER from a phone in a call (unattended transfer): the other party is connected to the
     * Refer-To target, dialled as a new leg of the same call; the phone hears how it went by NOTIFY.
     */
    void refer(RequestEvent ev) {
        Request r = ev.getRequest();
        ServerTransaction st = sip.transaction(ev);
        Dialog d = ev.getDialog();
        if (d == null || !(d.getApplicationData() instanceof SipLeg leg) || leg.state != SipLeg.State.UP || leg.signals == null) {
            sip.reply(st, r, 481);
            return;
        }
        String referTo = SipContext.values(r, "Refer-To").stream().findFirst().orElse("");
        String target = userOf(referTo);
        Channel transferor = calls.channel(leg.signals.channelId()).orElse(null);
        Channel other = transferor == null ? null : transferor.bridgedTo().flatMap(calls::channel).orElse(null);
        if (target.isEmpty() || other == null) {
            sip.reply(st, r, target.isEmpty() ? 400 : 481);
            return;
        }
        String lineId = extensions.get(target).isPresent() ? LINE : null;
        if (lineId == null) {
            sip.reply(st, r, 403); // transfers to outside numbers go through the router's rules
            return;
        }
        sip.reply(st, r, 202);
        notifyTransfer(d, "SIP/2.0 100 Trying", false);
        var call = calls.call(other.callId()).orElseThrow();
        calls.originate(call, lineId, target, other.callerId()).whenComplete((newLeg, e) -> {
            if (e != null) {
                notifyTransfer(d, "SIP/2.0 503 Service Unavailable", true);
                return;
            }
            transfers.put(newLeg.id(), new Transfer(other, transferor, d));
        });
    }

    private record Transfer(Channel other, Channel transferor, Dialog referDialog) {
    }

    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();

    /** Follows the legs dialled for a transfer: connect on answer, report failure. */
    void transferLegEvent(org.switchboard.core.api.CallEvent e) {
        if (e instanceof org.switchboard.core.api.CallEvent.StateChanged s && s.to() == org.switchboard.core.api.ChannelState.ANSWERED) {
            Transfer t = transfers.remove(s.channel().id());
            if (t != null) {
                calls.bridge(t.other(), s.channel(), true).whenComplete((v, err) -> {
                    notifyTransfer(t.referDialog(), err == null ? "SIP/2.0 200 OK" : "SIP/2.0 500 Server Internal Error", true);
                    if (err == null) {
                        calls.hangup(t.transferor(), HangupCause.NORMAL_CLEARING);
                    }
                });
            }
        } else if (e instanceof org.switchboard.core.api.CallEvent.ChannelHungUp h) {
            Transfer t = transfers.remove(h.channel().id());
            if (t != null) {
                notifyTransfer(t.referDialog(), "SIP/2.0 " + Causes.toSip(h.cause()) + " Transfer failed", true);
            }
        }
    }

    private void notifyTransfer(Dialog d, String sipfrag, boolean terminated) {
        try {
            Request notify = d.createRequest(Request.NOTIFY);
            notify.addHeader(sip.sip.headers.createEventHeader("refer"));
            notify.addHeader(sip.sip.headers.createSubscriptionStateHeader(terminated ? "terminated;reason=noresource" : "active;expires=60"));
            ContentTypeHeader ct = sip.sip.headers.createContentTypeHeader("message", "sipfrag;version=2.0");
            notify.setContent(sipfrag, ct);
            ClientTransaction tx = sip.sip.provider.getNewClientTransaction(notify);
            d.sendRequest(tx);
        } catch (ParseException | SipException e) {
            LOG.debug("NOTIFY for a transfer not sent: {}", e.getMessage());
        }
    }

    static String userOf(String nameAddr) {
        int sip = nameAddr.indexOf("sip:");
        if (sip < 0) {
            return "";
        }
        int end = sip + 4;
        while (end < nameAddr.length() && "@;>?".indexOf(nameAddr.charAt(end)) < 0) {
            end++;
        }
        String user = nameAddr.substring(sip + 4, end);
        return end < nameAddr.length() && nameAddr.charAt(end) == '@' ? user : "";
    }

    // ------------------------------------------------------------------ NAT keepalive

    /** OPTIONS to registered phones behind NAT, so their NAT keeps the binding open. */
    /**
     * Hangs up calls whose far end has gone without a word: up, not on hold, and no RTP received for
     * {@code timeout} (a phone that lost power or network, a BYE lost under overload). Without this a
     * vanished phone's call holds its agent and two RTP ports for ever. Called every few seconds.
     */
    void watchMedia(Duration timeout) {
        if (timeout.isZero()) {
            return;
        }
        Instant now = clock.instant();
        for (SipLeg leg : legs) {
            if (leg.state != SipLeg.State.UP || leg.held) {
                leg.watchedPackets = -1;
                continue;
            }
            long packets = leg.stream.stats().packetsIn();
            if (packets != leg.watchedPackets) {
                leg.watchedPackets = packets;
                leg.quietSince = now;
                continue;
            }
            if (now.isBefore(leg.quietSince.plus(timeout))) {
                continue;
            }
            synchronized (leg) {
                if (leg.state != SipLeg.State.UP) {
                    continue;
                }
                LOG.warn("{}: no RTP from {} for {} s; hanging up (rtp.timeout.seconds)", leg,
                        leg.stream.remote().map(Object::toString).orElse("the far end"), timeout.toSeconds());
                sendBye(leg, HangupCause.RECOVERY_ON_TIMER_EXPIRE);
                end(leg);
            }
            leg.signal(sg -> sg.hungUp(HangupCause.RECOVERY_ON_TIMER_EXPIRE));
        }
    }

    void keepalive(Duration every) {
        if (every.isZero()) {
            return;
        }
        Instant now = clock.instant();
        if (lastKeepalive != null && now.isBefore(lastKeepalive.plus(every))) {
            return;
        }
        lastKeepalive = now;
        for (Registrations.Binding b : registrations.all()) {
            if (!b.behindNat()) {
                continue;
            }
            try {
                var af = sip.sip.addresses;
                var hf = sip.sip.headers;
                String host = sip.options.announced().getHostAddress();
                String transport = sip.sip.transportOf(b.transport());
                ViaHeader via = hf.createViaHeader(host, sip.sip.point(transport).getPort(), transport, null);
                via.setRPort();
                Address me = af.createAddress(af.createSipURI("switchboard", host));
                Request options = sip.sip.messages.createRequest(af.createURI(b.contact()), Request.OPTIONS,
                        sip.sip.provider.getNewCallId(), hf.createCSeqHeader(1L, Request.OPTIONS), hf.createFromHeader(me,
                                Long.toHexString(now.toEpochMilli())), hf.createToHeader(af.createAddress(af.createURI(b.contact())), null),
                        new ArrayList<>(List.of(via)), hf.createMaxForwardsHeader(70));
                SipURI route = af.createSipURI(null, b.source().getAddress().getHostAddress());
                route.setPort(b.source().getPort());
                route.setLrParam();
                options.addHeader(hf.createRouteHeader(af.createAddress(route)));
                sip.sip.provider.getNewClientTransaction(options).sendRequest();
            } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
                LOG.debug("keepalive to {} not sent: {}", b.contact(), e.getMessage());
            }
        }
    }

    private volatile Instant lastKeepalive;

    // ------------------------------------------------------------------ helpers

    private ContactHeader contact(String transport) {
        try {
            var af = sip.sip.addresses;
            SipURI uri = af.createSipURI("switchboard", sip.options.announced().getHostAddress());
            uri.setPort(sip.sip.point(sip.sip.transportOf(transport)).getPort());
            if (!transport.equalsIgnoreCase("udp")) {
                uri.setTransportParam(transport);
            }
            return sip.sip.headers.createContactHeader(af.createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void setBody(javax.sip.message.Message m, String sdp) {
        try {
            m.setContent(sdp, sip.sip.headers.createContentTypeHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Integer> maxForwards(Request r) {
        MaxForwardsHeader mf = (MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME);
        return mf == null ? Optional.empty() : Optional.of(mf.getMaxForwards());
    }

    /** The line of the extensions: "dial" an extension number on it. */
    private final class ExtensionsLine implements Line {
        @Override
        public String id() {
            return LINE;
        }

        @Override
        public String cardId() {
            return "sip";
        }

        @Override
        public LineKind kind() {
            return LineKind.SIP;
        }

        @Override
        public String number() {
            return "";
        }

        @Override
        public LineStatus status() {
            return LineStatus.online(since);
        }

        @Override
        public Map<String, String> details() {
            Map<String, String> d = new java.util.LinkedHashMap<>();
            d.put("Extensions", extensions.all().size() + " (" + registrations.all().size() + " registered contacts)");
            d.put("SIP legs", Integer.toString(legs.size()));
            return d;
        }

        @Override
        public DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) throws LineUnavailableException {
            return dialExtension(number, callerId, signals);
        }
    }
}
