package org.switchboard.core.api;

/**
 * What a digit collection got.
 *
 * @param digits the keys, without the terminator
 * @param end    why it stopped
 */
public record DigitResult(String digits, End end) {

    /** Why a collection stopped. */
    public enum End {
        MAX_DIGITS, TERMINATOR, TIMEOUT, HANGUP, CANCELLED
    }
}
