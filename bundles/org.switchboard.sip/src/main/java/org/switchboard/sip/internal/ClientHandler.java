package org.switchboard.sip.internal;

import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/** Whoever sent a request in a client transaction hears its responses and its timeout. */
interface ClientHandler {

    void response(ResponseEvent ev);

    void timeout(TimeoutEvent ev);
}
