package org.switchboard.core.route;

import org.osgi.annotation.versioning.ConsumerType;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.Channel;

/**
 * Whiteboard: the capability that takes calls of one destination type (service property
 * {@value #TYPE} = ivr, queue, extension, voicemail, message ...). The router hands each routed
 * call to the service of its destination's type; a type nobody serves goes to the routes file's
 * fallback.
 */
@ConsumerType
public interface CallDestination {

    /** The service property naming the destination type served. */
    String TYPE = "destination.type";

    /**
     * Takes the call. Called on the call's executor, or on the router's thread for a call that
     * waited for its caller ID: use only the thread-safe {@code CallControl}; must not block.
     *
     * @param inbound the caller's leg, ringing (or already answered when a menu passes it on)
     * @param via     what sent it here (a route's name, a menu node), for logs
     */
    void accept(Call call, Channel inbound, Destination destination, String via);

    /** Whether the target exists (a menu, a queue, a box), for validation; unknown by default. */
    default boolean knows(String target) {
        return true;
    }
}
