package org.switchboard.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register an implementation as an OSGi service to hear every call event.
 * <p>
 * Called on the call's serialized executor. Return quickly and never block: the call cannot
 * progress while a listener runs. Hand slow work (database writes) to your own executor.
 */
@ConsumerType
@FunctionalInterface
public interface CallEventListener {

    void onEvent(CallEvent event);
}
