package org.switchboard.core.api;

/** A call-control request that cannot be carried out; the message says which call or leg and why. */
public class CallControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CallControlException(String message) {
        super(message);
    }
}
