package org.switchboard.store.internal;

/** The database cannot be opened or used; the message says which directory and what to do. */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
