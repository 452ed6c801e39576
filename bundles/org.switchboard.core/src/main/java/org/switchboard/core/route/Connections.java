package org.switchboard.core.route;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallEvent;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.HangupCause;

/**
 * A caller connected to the person who took the call (an agent, an outside number), and what
 * happens when one of them hangs up: when the caller hangs up, the other leg is released; when
 * the other side hangs up first, a caller from outside goes to the {@code survey} destination
 * (the post-call satisfaction survey) if a capability serves it, and is released otherwise.
 * <p>
 * Used by whoever connects calls (SIP extensions, the router's outside numbers); the owner feeds
 * it the call events it receives. Thread-safe.
 */
public final class Connections {

    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private record Pair(Channel caller, Channel agent, String agentName, boolean survey) {
    }

    private final CallControl calls;
    private final Supplier<CallDestination> survey;
    private final Map<String, Pair> pairs = new ConcurrentHashMap<>();

    /** @param survey the capability serving {@code survey} destinations now, or null */
    public Connections(CallControl calls, Supplier<CallDestination> survey) {
        this.calls = calls;
        this.survey = survey;
    }

    /**
     * Answers the caller and bridges the two legs.
     *
     * @param agentName  who took the call, as the survey stores it (an extension number, a line:number)
     * @param surveyable whether the caller may be surveyed (callers from outside, not colleagues)
     */
    public CompletionStage<Void> connect(Channel caller, Channel agent, String agentName, boolean surveyable) {
        Pair p = new Pair(caller, agent, agentName, surveyable);
        pairs.put(caller.id(), p);
        pairs.put(agent.id(), p);
        return calls.answer(caller).thenCompose(v -> calls.bridge(caller, agent, false)).whenComplete((v, e) -> {
            if (e != null) {
                forget(p);
                calls.hangup(agent, HangupCause.NORMAL_CLEARING);
                calls.hangup(caller, HangupCause.NORMAL_TEMPORARY_FAILURE);
            }
        });
    }

    /** Feed every call event here. */
    public void onEvent(CallEvent event) {
        if (event instanceof CallEvent.Bridged b) {
            // one of them now talks to a third party (a transfer): this pair is over, without hanging anyone up
            for (Channel c : new Channel[] {b.a(), b.b()}) {
                Pair p = pairs.get(c.id());
                if (p != null && !(p.caller().id().equals(b.a().id()) && p.agent().id().equals(b.b().id())
                        || p.caller().id().equals(b.b().id()) && p.agent().id().equals(b.a().id()))) {
                    forget(p);
                }
            }
            return;
        }
        if (!(event instanceof CallEvent.ChannelHungUp h)) {
            return;
        }
        Pair p = pairs.get(h.channel().id());
        if (p == null) {
            return;
        }
        forget(p);
        if (h.channel().id().equals(p.caller().id())) {
            calls.hangup(p.agent(), HangupCause.NORMAL_CLEARING);
            return;
        }
        CallDestination s = p.survey() ? survey.get() : null;
        if (s != null && p.caller().state().isUp()) {
            LOG.info("Call {}: {} hung up first; the caller is asked to rate the call", event.call().id(), p.agentName());
            try {
                s.accept(event.call(), p.caller(), new Destination("survey", p.agentName()), "after " + p.agentName() + " hung up");
                return;
            } catch (RuntimeException e) {
                LOG.error("Call {}: the survey failed", event.call().id(), e);
            }
        }
        calls.hangup(p.caller(), h.cause());
    }

    private void forget(Pair p) {
        pairs.remove(p.caller().id(), p);
        pairs.remove(p.agent().id(), p);
    }

    /** Connected pairs now (for status displays). */
    public int size() {
        return pairs.size() / 2;
    }
}
