package org.switchboard.hw.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.switchboard.hw.api.UnitSpec;

/**
 * What a hardware profile may say: the keys of the profile, of each driver's cards and of their
 * lines or spans, with what each key allows. One place, so every error can name what is allowed.
 */
final class Schema {

    /** A check of one value: null when fine, else what is wrong and what is allowed. */
    @FunctionalInterface
    interface Check {
        String problem(String value);
    }

    record Key(String name, boolean required, String defaultValue, Check check) {
    }

    enum Units {
        LINES("lines"), SPANS("spans"), NONE("");

        final String key;

        Units(String key) {
            this.key = key;
        }
    }

    /** What a driver's cards look like, and which feature installs the driver. */
    record Driver(String name, String feature, Units units, Map<String, Key> cardKeys, Map<String, Key> unitKeys) {
    }

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{1,32}");
    static final Pattern DEVICE = Pattern.compile("/[^\\s]+|COM[0-9]{1,3}|sim");
    static final List<String> COUNTRIES = List.of("cn", "us", "eu");
    static final List<String> BAUDS = List.of("9600", "19200", "38400", "57600", "115200", "230400", "460800", "921600");

    static final Map<String, Key> PROFILE_KEYS = keys(
            new Key("name", true, null, id()),
            new Key("description", false, "", any()),
            new Key("country", false, "cn", oneOf(COUNTRIES)),
            new Key("cards", true, null, null));

    static final Map<String, Driver> DRIVERS = new LinkedHashMap<>();

    static {
        Key lineId = new Key("id", true, null, id());
        Key number = new Key("number", false, "", pattern(NUMBER, "digits, optionally with a leading +"));
        Key port = new Key("port", true, null, pattern(DEVICE, "an absolute device path such as /dev/ttyUSB0, or sim (a simulated device on a pseudo-terminal, for the lab)"));
        Key baud = new Key("baud", false, "115200", oneOf(BAUDS));
        Key flow = new Key("flow-control", false, "rtscts", oneOf(List.of("none", "rtscts", "xonxoff")));
        Key init = new Key("init", false, "", pattern(Pattern.compile("(AT[^\\r\\n]*)?"), "extra AT commands, starting with AT, separated by ;"));
        Key cardId = new Key("id", true, null, id());
        Key driver = new Key("driver", true, null, null);
        Key description = new Key("description", false, "", any());

        Map<String, Key> spanKeys = keys(
                new Key("id", true, null, id()),
                new Key("type", true, null, oneOf(List.of("e1", "t1"))),
                new Key("framing", false, null, oneOf(List.of("ccs", "cas", "d4", "esf"))),
                new Key("coding", false, null, oneOf(List.of("hdb3", "ami", "b8zs"))),
                new Key("crc4", false, null, oneOf(List.of("yes", "no"))),
                new Key("signalling", true, null, oneOf(List.of("pri-cpe", "pri-net", "r2-china", "r2-itu"))),
                new Key("switchtype", false, null, oneOf(List.of("euroisdn", "ni2", "dms100", "4ess", "5ess", "qsig"))),
                new Key("channels", false, null, Schema::channelList),
                new Key("dchannel", false, null, intRange(1, 31)),
                new Key("law", false, null, oneOf(List.of("alaw", "ulaw"))),
                new Key("timing", false, "1", intRange(0, 8)),
                new Key("dnis-digits", false, null, intRange(1, 20)),
                new Key("number", false, "", number.check()));
        Map<String, Key> dahdiSpanKeys = new LinkedHashMap<>(spanKeys);
        dahdiSpanKeys.put("span", new Key("span", true, null, intRange(1, 64)));

        add(new Driver("sim-line", "switchboard-line-sim", Units.LINES, keys(cardId, driver, description),
                keys(lineId, number)));
        add(new Driver("v253-modem", "switchboard-line-serial", Units.LINES, keys(cardId, driver, description),
                keys(lineId, number, port, baud, flow, init)));
        add(new Driver("gsm-module", "switchboard-line-serial", Units.LINES, keys(cardId, driver, description),
                keys(lineId, number, port, baud, flow, init,
                        new Key("audio-port", false, "none",
                                pattern(Pattern.compile("none|sim|/[^\\s]+"), "a device path for the module's audio, none, or sim (simulated, for the lab)")))));
        add(new Driver("sim-span", "switchboard-span-native", Units.SPANS, keys(cardId, driver, description), spanKeys));
        add(new Driver("dahdi-span", "switchboard-span-native", Units.SPANS, keys(cardId, driver, description), dahdiSpanKeys));
        add(new Driver("sip", "switchboard-sip", Units.NONE, keys(cardId, driver, description), Map.of()));
    }

    private Schema() {
    }

    private static void add(Driver d) {
        DRIVERS.put(d.name(), d);
    }

    private static Map<String, Key> keys(Key... keys) {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : keys) {
            m.put(k.name(), k);
        }
        return m;
    }

    static Check any() {
        return v -> null;
    }

    static Check id() {
        return v -> ID.matcher(v).matches() ? null
                : "'" + v + "' is not a valid id; allowed: 1-32 characters of a-z 0-9 - _, starting with a letter or digit";
    }

    static Check pattern(Pattern p, String allowed) {
        return v -> p.matcher(v).matches() ? null : "'" + v + "' is not allowed; allowed: " + allowed;
    }

    static Check oneOf(List<String> values) {
        return v -> values.contains(v) ? null : "'" + v + "' is not allowed; allowed: " + String.join(", ", values);
    }

    static Check intRange(int min, int max) {
        return v -> {
            try {
                int i = Integer.parseInt(v);
                if (i >= min && i <= max) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            return "'" + v + "' is not allowed; allowed: a whole number from " + min + " to " + max;
        };
    }

    /** "1-15,17-31": ranges and single channels, 1..31. */
    static String channelList(String v) {
        return parseChannels(v) == null
                ? "'" + v + "' is not allowed; allowed: channel numbers and ranges from 1 to 31, e.g. 1-15,17-31" : null;
    }

    /** The channels of a list like "1-15,17-31", or null when it is malformed. */
    static Set<Integer> parseChannels(String v) {
        return UnitSpec.parseChannels(v);
    }

    static List<String> driverNames() {
        return new ArrayList<>(DRIVERS.keySet());
    }
}
