package org.switchboard.hw.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a driver registers one per driver name it implements, so {@code hw:cards} can tell
 * for every card whether its driver is installed and how the card is doing.
 */
@ConsumerType
public interface CardDriver {

    /** The driver name used in profiles, e.g. {@code sim-line}. */
    String driverName();

    /** One line about the card, e.g. "4 lines: 4 online" or "port /dev/ttyUSB0 missing". */
    String cardStatus(String cardId);
}
