package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.address.SipURI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sip:trace: logs whole SIP messages that involve a traced extension or trunk (in From, To or the
 * Request-URI, or from/to a trunk's address), to logger {@code org.switchboard.sip.trace}. Off by
 * default and cheap when off: one set lookup per message.
 */
final class Tracer {

    private static final Logger TRACE = LoggerFactory.getLogger("org.switchboard.sip.trace");
    private final Set<String> traced = ConcurrentHashMap.newKeySet();

    boolean on(String who) {
        return traced.add(who);
    }

    boolean off(String who) {
        return traced.remove(who);
    }

    Set<String> traced() {
        return Set.copyOf(traced);
    }

    void trace(String direction, Message m, InetAddress peer, int port) {
        if (traced.isEmpty()) {
            return;
        }
        String match = matching(m, peer);
        if (match != null) {
            TRACE.info("[{}] {} {}:{}\n{}", match, direction, peer == null ? "?" : peer.getHostAddress(), port, m);
        }
    }

    private String match(Object uri) {
        if (uri instanceof SipURI s && s.getUser() != null && traced.contains(s.getUser())) {
            return s.getUser();
        }
        return null;
    }

    private String matching(Message m, InetAddress peer) {
        FromHeader from = (FromHeader) m.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) m.getHeader(ToHeader.NAME);
        String hit = from == null ? null : match(from.getAddress().getURI());
        if (hit == null && to != null) {
            hit = match(to.getAddress().getURI());
        }
        if (hit == null && m instanceof Request r) {
            hit = match(r.getRequestURI());
        }
        if (hit == null && peer != null && traced.contains(peer.getHostAddress())) {
            hit = peer.getHostAddress();
        }
        return hit == null && m instanceof Response ? null : hit;
    }
}
