package org.switchboard.hw.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A card of the box and the driver that runs it.
 *
 * @param id       unique in the profile
 * @param driver   e.g. {@code sim-line}, {@code v253-modem}, {@code gsm-module}, {@code dahdi-span}, {@code sim-span}, {@code sip}
 * @param settings the card's own settings (not its lines or spans)
 * @param lines    the lines of a line card; empty for span cards
 * @param spans    the spans of a span card; empty for line cards
 */
public record CardSpec(String id, String driver, Map<String, String> settings, List<UnitSpec> lines, List<UnitSpec> spans) {

    public CardSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driver, "driver");
        settings = Map.copyOf(settings);
        lines = List.copyOf(lines);
        spans = List.copyOf(spans);
    }

    public String get(String key) {
        return settings.getOrDefault(key, "");
    }
}
