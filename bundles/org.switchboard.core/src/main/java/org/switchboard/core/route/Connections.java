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
 * happens when one of them hangs up. The core ends them unevenly
 * ({@link CallControl#bridgeKeepingCaller}): when the caller hangs up, the other leg goes with it
 * at once; when the other side hangs up first, a caller from outside stays up and goes to the
 * {@code survey} destination (the post-call satisfaction survey) if a capability serves it, and is
 * released otherwise. Callers who may not be surveyed (colleagues) are bridged to end together.
 * <p>
 * Used by whoever connects calls (SIP extensions, the router's outside numbers); the owner feeds
 * it the call events it receives. Thread-safe.
 */
public final class Connections {

    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private static final class Pair {
        final Channel caller;
        final Channel agent;
        final String agentName;
        /** set when the core has bridged them: a hang-up before that is a failed connection, not a call to rate */
        volatile boolean talked;

        Pair(Channel caller, Channel agent, String agentName) {
            this.caller = caller;
            this.agent = agent;
            this.agentName = agentName;
        }

        boolean is(Channel a, Channel b) {
            return caller.id().equals(a.id()) && agent.id().equals(b.id())
                    || caller.id().equals(b.id()) && agent.id().equals(a.id());
        }
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
     * Answers the caller and bridges the two legs; if either is gone before they are bridged, the
     * other is released too.
     *
     * @param agentName  who took the call, as the survey stores it (an extension number, a line:number)
     * @param surveyable whether the caller may be surveyed (callers from outside, not colleagues)
     */
    public CompletionStage<Void> connect(Channel caller, Channel agent, String agentName, boolean surveyable) {
        Pair p = surveyable ? new Pair(caller, agent, agentName) : null;
        if (p != null) {
            pairs.put(caller.id(), p);
            pairs.put(agent.id(), p);
        }
        return calls.answer(caller)
                .thenCompose(v -> surveyable ? calls.bridgeKeepingCaller(caller, agent) : calls.bridge(caller, agent, true))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        if (p != null) {
                            forget(p);
                        }
                        calls.hangup(agent, HangupCause.NORMAL_CLEARING);
                        calls.hangup(caller, HangupCause.NORMAL_TEMPORARY_FAILURE);
                    }
                });
    }

    /** Feed every call event here. */
    public void onEvent(CallEvent event) {
        if (event instanceof CallEvent.Bridged b) {
            for (Channel c : new Channel[] {b.a(), b.b()}) {
                Pair p = pairs.get(c.id());
                if (p == null) {
                    continue;
                }
                if (p.is(b.a(), b.b())) {
                    p.talked = true;
                } else {
                    // one of them now talks to a third party (a transfer): this pair is over, without hanging anyone up
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
        if (h.channel().id().equals(p.caller.id())) {
            return; // the core has ended the other leg with it
        }
        CallDestination s = p.talked ? survey.get() : null;
        if (s != null && p.caller.state().isUp()) {
            LOG.info("Call {}: {} hung up first; the caller is asked to rate the call", event.call().id(), p.agentName);
            try {
                s.accept(event.call(), p.caller, new Destination("survey", p.agentName), "after " + p.agentName + " hung up");
                return;
            } catch (RuntimeException e) {
                LOG.error("Call {}: the survey failed", event.call().id(), e);
            }
        }
        calls.hangup(p.caller, h.cause());
    }

    private void forget(Pair p) {
        pairs.remove(p.caller.id(), p);
        pairs.remove(p.agent.id(), p);
    }

    /** Pairs whose caller may be surveyed, connected now (for status displays). */
    public int size() {
        return pairs.size() / 2;
    }
}
