package org.switchboard.hw.api;

import java.util.Map;
import java.util.Objects;

/**
 * One line or span of a card, with its validated settings (defaults filled in).
 *
 * @param id       unique in the profile, e.g. {@code lab-1}, {@code span1}
 * @param settings every setting of the unit by its key in the file, e.g. {@code port}, {@code baud}
 */
public record UnitSpec(String id, Map<String, String> settings) {

    public UnitSpec {
        Objects.requireNonNull(id, "id");
        settings = Map.copyOf(settings);
    }

    /** The setting, or "" when the file has none and it has no default. */
    public String get(String key) {
        return settings.getOrDefault(key, "");
    }

    /** A setting that the schema declares numeric, so validation already checked it parses. */
    public int getInt(String key) {
        return Integer.parseInt(settings.get(key));
    }
}
