package org.switchboard.core.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What to collect from a leg's keypad. Digits pressed before the request (during a prompt with
 * barge-in) count: they are taken from the leg's buffer first.
 *
 * @param maxDigits         stop after this many digits (1..64)
 * @param terminators       keys that end the input and are not part of it, e.g. "#"; may be empty
 * @param firstDigitTimeout how long to wait for the first key
 * @param interDigitTimeout how long to wait for each following key
 */
public record DigitRequest(int maxDigits, String terminators, Duration firstDigitTimeout, Duration interDigitTimeout) {

    public DigitRequest {
        if (maxDigits < 1 || maxDigits > 64) {
            throw new IllegalArgumentException("maxDigits must be 1..64, got " + maxDigits);
        }
        Objects.requireNonNull(terminators, "terminators");
        for (char c : terminators.toCharArray()) {
            if (!Dtmf.isDigit(c)) {
                throw new IllegalArgumentException("terminator '" + c + "' is not a DTMF key (0-9 * # A-D)");
            }
        }
        requirePositive(firstDigitTimeout, "firstDigitTimeout");
        requirePositive(interDigitTimeout, "interDigitTimeout");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** One key, e.g. a menu choice. */
    public static DigitRequest oneKey(Duration timeout) {
        return new DigitRequest(1, "", timeout, timeout);
    }
}
