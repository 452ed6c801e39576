package org.switchboard.hw.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated hardware profile: the box as its file describes it. Published as a service while it
 * is the applied one; immutable.
 *
 * @param name        the profile's name, equal to its file name without {@code .yaml}
 * @param description one line for humans
 * @param country     the tone and number plan country: {@code cn}, {@code us} or {@code eu}
 * @param source      the file it came from
 * @param cards       the cards, in file order
 * @param appliedAt   when it was applied
 */
public record HardwareProfile(String name, String description, String country, Path source, List<CardSpec> cards,
                              Instant appliedAt) {

    public HardwareProfile {
        Objects.requireNonNull(name, "name");
        cards = List.copyOf(cards);
    }

    /** The cards that a given driver runs. */
    public List<CardSpec> cardsFor(String driver) {
        return cards.stream().filter(c -> c.driver().equals(driver)).toList();
    }
}
