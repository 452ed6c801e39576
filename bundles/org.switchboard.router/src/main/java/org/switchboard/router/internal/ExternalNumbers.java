package org.switchboard.router.internal;

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
import org.switchboard.core.route.CallDestination;
import org.switchboard.core.route.Connections;
import org.switchboard.core.route.Destination;

/**
 * The {@code external:LINE:NUMBER} destination: the number is dialled on the line as a second leg
 * of the call; the caller is answered and connected when the far end answers, and released with
 * the far end's cause when it does not; when the far end hangs up first, the caller may rate the
 * call (Connections).
 */
final class ExternalNumbers implements CallDestination {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalNumbers.class);

    private final CallControl calls;
    /** Outbound leg id -> the caller waiting for it. */
    private final Map<String, Channel> waiting = new ConcurrentHashMap<>();

    private final Connections connections;

    ExternalNumbers(CallControl calls, java.util.function.Supplier<CallDestination> survey) {
        this.calls = calls;
        this.connections = new Connections(calls, survey);
    }

    @Override
    public void accept(Call call, Channel inbound, Destination d, String via) {
        int c = d.target().indexOf(':');
        String line = d.target().substring(0, c);
        String number = d.target().substring(c + 1);
        calls.originate(call, line, number, inbound.callerId()).whenComplete((out, e) -> {
            if (e != null) {
                LOG.warn("Call {} ({}): cannot dial {} on {}: {}", call.id(), via, number, line,
                        e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                calls.hangup(inbound, HangupCause.NORMAL_TEMPORARY_FAILURE);
                return;
            }
            waiting.put(out.id(), inbound);
        });
    }

    void onEvent(CallEvent event) {
        connections.onEvent(event);
        if (event instanceof CallEvent.StateChanged s && s.to() == ChannelState.ANSWERED) {
            Channel inbound = waiting.remove(s.channel().id());
            if (inbound != null) {
                connections.connect(inbound, s.channel(), s.channel().lineId() + ":" + s.channel().calledNumber(), true);
            }
        } else if (event instanceof CallEvent.ChannelHungUp h) {
            Channel inbound = waiting.remove(h.channel().id());
            if (inbound != null) {
                calls.hangup(inbound, h.cause());
                return;
            }
            waiting.entrySet().removeIf(e -> {
                if (e.getValue().id().equals(h.channel().id())) {
                    calls.channel(e.getKey()).ifPresent(out -> calls.hangup(out, HangupCause.NORMAL_CLEARING));
                    return true;
                }
                return false;
            });
        }
    }
}
