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
    private final Map<String, Attempt> byCallee = new ConcurrentHashMap<>();
    private final Map<String, Attempt> byCaller = new ConcurrentHashMap<>();

    InternalDialing(CallControl calls, Extensions extensions) {
        this.calls = calls;
        this.extensions = extensions;
    }

    /** A new inbound call on the SIP line. */
    void offer(Call call, Channel caller) {
        String dialled = caller.calledNumber();
        if (extensions.get(dialled).isEmpty()) {
            LOG.info("Call {} from {} to '{}': not an extension, and no router is installed", call.id(),
                    caller.callerId().display(), dialled);
            calls.hangup(caller, HangupCause.UNALLOCATED_NUMBER);
            return;
        }
        if (dialled.equals(caller.callerId().number())) {
            calls.hangup(caller, HangupCause.USER_BUSY);
            return;
        }
        calls.originate(call, SipCalls.LINE, dialled, caller.callerId()).whenComplete((callee, e) -> {
            if (e != null) {
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                LOG.info("Call {} to extension {}: {}", call.id(), dialled, why);
                calls.hangup(caller, why != null && why.contains("not registered") ? HangupCause.SUBSCRIBER_ABSENT
                        : HangupCause.NORMAL_TEMPORARY_FAILURE);
                return;
            }
            Attempt a = new Attempt(caller, callee);
            byCallee.put(callee.id(), a);
            byCaller.put(caller.id(), a);
        });
    }

    /** Follows the attempts: answer and bridge, or pass the failure back to the caller. */
    void onEvent(CallEvent e) {
        if (e instanceof CallEvent.StateChanged s && s.to() == ChannelState.ANSWERED) {
            Attempt a = byCallee.remove(s.channel().id());
            if (a != null) {
                byCaller.remove(a.caller().id());
                calls.answer(a.caller()).thenCompose(v -> calls.bridge(a.caller(), a.callee(), true))
                        .whenComplete((v, err) -> {
                            if (err != null) {
                                calls.hangup(a.callee(), HangupCause.NORMAL_CLEARING);
                            }
                        });
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
