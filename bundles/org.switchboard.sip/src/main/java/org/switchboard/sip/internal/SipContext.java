package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.ListIterator;
import java.util.Map;
import java.util.UUID;

import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.message.SIPMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SIP handlers share: the stack, the options and the helpers every handler needs
 * (sending a response statelessly or in its transaction, the real source of a request).
 */
final class SipContext {

    private static final Logger LOG = LoggerFactory.getLogger(SipContext.class);

    final SipStackHolder sip;
    final SipOptions options;
    final Tracer tracer;
    final String allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, REFER, NOTIFY, INFO";

    SipContext(SipStackHolder sip, SipOptions options, Tracer tracer) {
        this.sip = sip;
        this.options = options;
        this.tracer = tracer;
    }

    /** Where the request really came from (the packet source, not what its Via claims). */
    static InetSocketAddress source(Request r) {
        SIPMessage m = (SIPMessage) r;
        InetAddress a = m.getPeerPacketSourceAddress() != null ? m.getPeerPacketSourceAddress() : m.getRemoteAddress();
        int port = m.getPeerPacketSourcePort() > 0 ? m.getPeerPacketSourcePort() : m.getRemotePort();
        return new InetSocketAddress(a == null ? InetAddress.getLoopbackAddress() : a, port);
    }

    static String transport(Request r) {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(java.util.Locale.ROOT);
    }

    /** The request's server transaction, created if needed; null for a retransmission already handled. */
    ServerTransaction transaction(RequestEvent ev) {
        ServerTransaction st = ev.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return sip.provider.getNewServerTransaction(ev.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (TransactionUnavailableException e) {
            LOG.debug("no server transaction for {}: {}", ev.getRequest().getMethod(), e.getMessage());
            return null;
        }
    }

    Response response(int status, Request r) {
        try {
            Response resp = sip.messages.createResponse(status, r);
            if (status >= 200) {
                ToHeader to = (ToHeader) resp.getHeader(ToHeader.NAME);
                if (to != null && to.getTag() == null) {
                    to.setTag(Long.toHexString(UUID.randomUUID().getMostSignificantBits()));
                }
            }
            return resp;
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a " + status + " response", e);
        }
    }

    /** Sets the To tag of a response (the same one on every response of a dialog). */
    void tag(Response resp, String tag) {
        try {
            ((ToHeader) resp.getHeader(ToHeader.NAME)).setTag(tag);
        } catch (ParseException e) {
            throw new IllegalArgumentException("tag " + tag, e);
        }
    }

    /** The methods the box takes, as Allow headers (a list header: one header object per method). */
    void addAllow(javax.sip.message.Message m) {
        try {
            for (String method : allow.split(",\\s*")) {
                m.addHeader(sip.headers.createAllowHeader(method));
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    void addHeader(javax.sip.message.Message resp, String name, String value) {
        try {
            resp.addHeader(sip.headers.createHeader(name, value));
        } catch (ParseException e) {
            throw new IllegalArgumentException(name + ": " + value, e);
        }
    }

    /** Sends a response in the transaction, or statelessly when there is none. */
    void send(ServerTransaction st, Request r, Response resp) {
        try {
            InetSocketAddress src = source(r);
            tracer.trace("->", resp, src.getAddress(), src.getPort());
            if (st != null) {
                st.sendResponse(resp);
            } else {
                sip.provider.sendResponse(resp);
            }
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("could not send {} for {}: {}", resp.getStatusCode(), r.getMethod(), e.getMessage());
        }
    }

    void reply(ServerTransaction st, Request r, int status) {
        send(st, r, response(status, r));
    }

    /** All values of a header, as text without the header name. */
    static java.util.List<String> values(javax.sip.message.Message r, String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        ListIterator<?> it = r.getHeaders(name);
        while (it != null && it.hasNext()) {
            Header h = (Header) it.next();
            String s = h.toString().trim();
            int colon = s.indexOf(':');
            out.add(colon >= 0 ? s.substring(colon + 1).trim() : s);
        }
        return out;
    }

    /** The digest parameters of the Authorization header for our realm, or null. */
    Map<String, String> credentials(Request r, String headerName) {
        for (String v : values(r, headerName)) {
            Map<String, String> p = Digest.parse(v);
            if (options.realm().equals(p.get("realm"))) {
                return p;
            }
        }
        return null;
    }
}
