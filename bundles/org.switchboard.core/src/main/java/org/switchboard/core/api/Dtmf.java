package org.switchboard.core.api;

/** The sixteen DTMF keys. */
public final class Dtmf {

    /** All keys in keypad order. */
    public static final String KEYS = "123A456B789C*0#D";

    private Dtmf() {
    }

    /** Whether {@code c} is one of {@code 0-9 * # A-D} (upper case). */
    public static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
    }

    /** Checks a string of keys, naming the first bad one. */
    public static String requireDigits(String keys) {
        for (int i = 0; i < keys.length(); i++) {
            char c = keys.charAt(i);
            if (!isDigit(c)) {
                throw new IllegalArgumentException("'" + c + "' at position " + (i + 1) + " of '" + keys
                        + "' is not a DTMF key; allowed: 0-9 * # A-D");
            }
        }
        return keys;
    }
}
