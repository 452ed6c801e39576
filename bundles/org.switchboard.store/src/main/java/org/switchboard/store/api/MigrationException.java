package org.switchboard.store.api;

/** A changelog could not be applied; the message names the changelog, the changeset and why. */
public class MigrationException extends Exception {

    private static final long serialVersionUID = 1L;

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
