package org.switchboard.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: the application that decides what happens to a new inbound call (normally the
 * router). Of several registered handlers the one with the highest {@code service.ranking} gets
 * each call; with none registered, inbound calls keep ringing until the caller gives up or a
 * technician ends them.
 */
@ConsumerType
@FunctionalInterface
public interface InboundCallHandler {

    /** Called on the call's executor once, when its first leg starts ringing. */
    void onInboundCall(Call call, Channel ringing);
}
