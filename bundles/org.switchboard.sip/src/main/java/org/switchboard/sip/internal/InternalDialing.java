package org.switchboard.sip.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallEvent;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.route.Connections;

/**
 * Calls between extensions, when no router has taken the call: an extension dialling another one
 * rings it (a second leg in the same call, so the core bridges it) and hears its ringing, busy or
 * no-answer; the caller's leg is answered only when the callee answers. Anything else dialled
 * from an extension is refused here (outside calls are the router's, with its dial-out rules).
 */
final class InternalDialing {

    private static final Logger LOG = LoggerFactory.getLogger(InternalDialing.class);

    /** A call being connected: the caller's leg and the leg dialled for it. */
    private record Attempt(Channel caller, Channel callee) {
    }

    private final CallControl calls;
    private final Extensions extensions;
    private final SipServer server;
    private final Map<String, Attempt> byCallee = new ConcurrentHashMap<>();
    private final Map<String, Attempt> byCaller = new ConcurrentHashMap<>();
    private final Connections connections;

    InternalDialing(CallControl calls, Extensions extensions, SipServer server) {
        this.calls = calls;
        this.connections = new Connections(calls, server::survey);
        this.extensions = extensions;
        this.server = server;
    }

    /** A call from a trunk to a DID: the DID's extension rings, if the trunk maps it to one. */
    void offerFromTrunk(Call call, Channel ringing, SipTrunk trunk) {
        String ext = trunk.did(ringing.calledNumber()).orElse("");
        if (ext.isEmpty()) {
            LOG.info("Call {} on trunk {} to DID {}: no extension mapped and no router installed", call.id(), trunk.id(),
                    ringing.calledNumber());
            calls.hangup(ringing, HangupCause.NO_ROUTE_DESTINATION);
            return;
        }
        connect(call, ringing, SipCalls.LINE, ext);
    }

    /**
     * A new call from an extension: another extension rings; an outside number goes out on a trunk
     * only if the calling extension may dial out (toll fraud: a stolen phone password alone does
     * not buy international calls).
     */
    void offer(Call call, Channel caller) {
        String dialled = caller.calledNumber();
        if (dialled.equals(caller.callerId().number())) {
            calls.hangup(caller, HangupCause.USER_BUSY);
            return;
        }
        if (extensions.get(dialled).isPresent()) {
            connect(call, caller, SipCalls.LINE, dialled);
            return;
        }
        boolean mayDialOut = extensions.get(caller.callerId().number()).map(Extensions.Extension::dialOut).orElse(false);
        if (!mayDialOut) {
            LOG.warn("Call {} from extension {} to '{}' refused: the extension may not dial out", call.id(),
                    caller.callerId().number(), dialled);
            calls.hangup(caller, HangupCause.OUTGOING_CALL_BARRED);
            return;
        }
        var trunk = server.outboundTrunk();
        if (trunk.isEmpty() || !dialled.matches("\\+?[0-9]{2,32}")) {
            calls.hangup(caller, trunk.isEmpty() ? HangupCause.NORMAL_CIRCUIT_CONGESTION : HangupCause.INVALID_NUMBER_FORMAT);
            return;
        }
        connect(call, caller, trunk.get().id(), dialled);
    }

    /** An outside call (routed) to an extension. */
    void toExtension(Call call, Channel caller, String extension) {
        connect(call, caller, SipCalls.LINE, extension);
    }

    private void connect(Call call, Channel caller, String lineId, String dialled) {
        calls.originate(call, lineId, dialled, caller.callerId()).whenComplete((callee, e) -> {
            if (e != null) {
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                LOG.info("Call {} to {} on {}: {}", call.id(), dialled, lineId, why);
                calls.hangup(caller, why != null && why.contains("not registered") ? HangupCause.SUBSCRIBER_ABSENT
                        : HangupCause.NORMAL_TEMPORARY_FAILURE);
                return;
            }
            Attempt a = new Attempt(caller, callee);
            byCallee.put(callee.id(), a);
            byCaller.put(caller.id(), a);
            SipCalls sip = server.calls();
            if (callee.state() == ChannelState.ALERTING && sip != null) {
                // it rang before the attempt was recorded; each is sent once either way
                sip.earlyMedia(caller.id(), callee.id());
                sip.ringing(caller.id());
            }
        });
    }

    /** The caller's channel for which this channel was dialled, if it is being connected. */
    java.util.Optional<String> callerOf(String calleeChannelId) {
        Attempt a = byCallee.get(calleeChannelId);
        return a == null ? java.util.Optional.empty() : java.util.Optional.of(a.caller().id());
    }

    /** Follows the attempts: answer and bridge, or pass the failure back to the caller. */
    void onEvent(CallEvent e) {
        connections.onEvent(e);
        if (e instanceof CallEvent.StateChanged s && s.to() == ChannelState.ALERTING) {
            Attempt a = byCallee.get(s.channel().id());
            SipCalls sip = server.calls();
            if (a != null && sip != null) {
                sip.earlyMedia(a.caller().id(), s.channel().id()); // 183 and media, when the callee sends early media
                sip.ringing(a.caller().id()); // 180 otherwise
            }
        } else if (e instanceof CallEvent.StateChanged s && s.to() == ChannelState.ANSWERED) {
            Attempt a = byCallee.remove(s.channel().id());
            if (a != null) {
                byCaller.remove(a.caller().id());
                // a caller from outside may rate the call when the extension hangs up first; calls
                // between extensions end together
                connections.connect(a.caller(), a.callee(), a.callee().calledNumber(),
                        !SipCalls.LINE.equals(a.caller().lineId()));
            }
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            Attempt byItsCallee = byCallee.remove(h.channel().id());
            if (byItsCallee != null) {
                byCaller.remove(byItsCallee.caller().id());
                calls.hangup(byItsCallee.caller(), h.cause());
            }
            Attempt byItsCaller = byCaller.remove(h.channel().id());
            if (byItsCaller != null) {
                byCallee.remove(byItsCaller.callee().id());
                calls.hangup(byItsCaller.callee(), HangupCause.NORMAL_CLEARING);
            }
        }
    }
}
