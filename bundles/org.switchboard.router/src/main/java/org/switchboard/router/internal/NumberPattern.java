package org.switchboard.router.internal;

import java.util.regex.Pattern;

/**
 * A number pattern of a route: digits and {@code +} match themselves, {@code X} any digit,
 * {@code N} a digit 2-9, {@code ?} any one character, {@code *} any run of characters (also none).
 * {@code 010*} is every Beijing number, {@code 1XXXXXXXXXX} a mainland mobile, {@code *} anything.
 */
final class NumberPattern {

    private static final Pattern ALLOWED = Pattern.compile("[0-9+XN?*#]{1,40}");

    private final String text;
    private final Pattern regex;

    private NumberPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException naming what is allowed */
    static NumberPattern of(String text) {
        if (!ALLOWED.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a number pattern; allowed: digits, +, #, X (any digit), "
                    + "N (2-9), ? (any one), * (any run), e.g. 010* or 1XXXXXXXXXX");
        }
        StringBuilder r = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case 'X' -> r.append("[0-9]");
                case 'N' -> r.append("[2-9]");
                case '?' -> r.append('.');
                case '*' -> r.append(".*");
                case '+' -> r.append("\\+");
                default -> r.append(c);
            }
        }
        return new NumberPattern(text, Pattern.compile(r.toString()));
    }

    boolean matches(String number) {
        return regex.matcher(number).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
