package org.switchboard.core.api;

import java.util.Objects;

/**
 * The calling party as the line delivered it.
 *
 * @param number       digits, possibly with a leading '+'; empty when not delivered or withheld
 * @param name         display name; empty when not delivered
 * @param presentation whether the number may be shown
 */
public record CallerId(String number, String name, Presentation presentation) {

    /** What the network says about showing the number. */
    public enum Presentation {
        /** The number may be shown. */
        ALLOWED,
        /** The caller withheld it (CLIR, "P" on analog lines). */
        RESTRICTED,
        /** The network could not deliver it ("O" on analog lines, interworking). */
        UNAVAILABLE
    }

    /** No caller ID at all. */
    public static final CallerId UNKNOWN = new CallerId("", "", Presentation.UNAVAILABLE);

    public CallerId {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(presentation, "presentation");
    }

    /** A number that may be shown, without a name. */
    public static CallerId of(String number) {
        return new CallerId(number, "", Presentation.ALLOWED);
    }

    /** A number with a display name. */
    public static CallerId of(String number, String name) {
        return new CallerId(number, name == null ? "" : name, Presentation.ALLOWED);
    }

    /** A caller who withheld the number. */
    public static CallerId withheld() {
        return new CallerId("", "", Presentation.RESTRICTED);
    }

    /** How a technician sees it: the number, "withheld" or "unknown", and the name when there is one. */
    public String display() {
        String who = switch (presentation) {
            case ALLOWED -> number.isEmpty() ? "unknown" : number;
            case RESTRICTED -> "withheld";
            case UNAVAILABLE -> number.isEmpty() ? "unknown" : number;
        };
        return name.isEmpty() ? who : who + " \"" + name + "\"";
    }
}
