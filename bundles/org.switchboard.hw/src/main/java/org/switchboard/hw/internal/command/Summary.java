package org.switchboard.hw.internal.command;

import org.switchboard.hw.api.HardwareProfile;

/** How the hw: commands sum a profile up. */
final class Summary {

    private Summary() {
    }

    static int lines(HardwareProfile p) {
        return p.cards().stream().mapToInt(c -> c.lines().size()).sum();
    }

    static int spans(HardwareProfile p) {
        return p.cards().stream().mapToInt(c -> c.spans().size()).sum();
    }

    /** "3 cards, 4 lines, 1 spans" */
    static String of(HardwareProfile p) {
        return p.cards().size() + " cards, " + lines(p) + " lines, " + spans(p) + " spans";
    }
}
