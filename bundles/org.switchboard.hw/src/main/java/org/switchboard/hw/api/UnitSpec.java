package org.switchboard.hw.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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

    /** A channel-list setting ("1-15,17-31"), which validation already checked, as timeslot numbers. */
    public Set<Integer> getChannels(String key) {
        Set<Integer> c = parseChannels(settings.getOrDefault(key, ""));
        return c == null ? Set.of() : c;
    }

    /** The channels of a list like "1-15,17-31" (1..31), or null when it is malformed. */
    public static Set<Integer> parseChannels(String v) {
        Set<Integer> out = new TreeSet<>();
        for (String part : v.split(",")) {
            String p = part.trim();
            String[] ends = p.split("-", -1);
            try {
                int from = Integer.parseInt(ends[0].trim());
                int to = ends.length == 2 ? Integer.parseInt(ends[1].trim()) : from;
                if (ends.length > 2 || from < 1 || to > 31 || from > to) {
                    return null;
                }
                for (int c = from; c <= to; c++) {
                    out.add(c);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }
}
