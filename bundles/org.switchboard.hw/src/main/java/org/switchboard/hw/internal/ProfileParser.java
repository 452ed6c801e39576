package org.switchboard.hw.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.api.UnitSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a hardware profile (YAML) and checks all of it against {@link Schema}: every problem is
 * reported, each with the file, line, column and key, not just the first one. Only a profile
 * without problems becomes a {@link HardwareProfile}.
 */
public final class ProfileParser {

    static final long MAX_BYTES = 256 * 1024;

    /** One thing wrong in a profile. */
    public record Problem(String file, int line, int column, String where, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + (where.isEmpty() ? "" : where + ": ") + message;
        }
    }

    /** Either a profile or the problems that keep it from being one. */
    public record Result(HardwareProfile profile, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final String fileName;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, String> ports = new HashMap<>();
    private final Map<String, String> dahdiSpans = new HashMap<>();

    private ProfileParser(String fileName) {
        this.fileName = fileName;
    }

    /** Parses and checks the file; {@code shownAs} is how errors name it. */
    static Result parse(Path file, String shownAs) {
        ProfileParser p = new ProfileParser(shownAs);
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                p.problem(1, 1, "", "the file is larger than " + MAX_BYTES / 1024 + " KiB; a hardware profile is a few KiB");
                return new Result(null, p.problems);
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            p.problem(0, 0, "", "no such file");
            return new Result(null, p.problems);
        } catch (CharacterCodingException e) {
            p.problem(1, 1, "", "the file is not UTF-8 text");
            return new Result(null, p.problems);
        } catch (IOException e) {
            p.problem(0, 0, "", "cannot read it: " + e.getMessage());
            return new Result(null, p.problems);
        }
        String base = file.getFileName().toString();
        String expectedName = base.endsWith(".yaml") ? base.substring(0, base.length() - 5) : base;
        HardwareProfile profile = p.check(new StringReader(text), file, expectedName);
        return new Result(p.problems.isEmpty() ? profile : null, List.copyOf(p.problems));
    }

    private void problem(int line, int column, String where, String message) {
        problems.add(new Problem(fileName, line, column, where, message));
    }

    private void problem(Node node, String where, String message) {
        Mark m = node.getStartMark();
        problem(m.getLine() + 1, m.getColumn() + 1, where, message);
    }

    private HardwareProfile check(Reader reader, Path file, String expectedName) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setAllowDuplicateKeys(true);
        options.setCodePointLimit((int) MAX_BYTES);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problem(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
                    "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
            return null;
        } catch (YAMLException e) {
            problem(1, 1, "", "not valid YAML: " + e.getMessage());
            return null;
        }
        if (root == null) {
            problem(1, 1, "", "the file is empty; a profile needs at least 'name' and 'cards'");
            return null;
        }
        if (!(root instanceof MappingNode top)) {
            problem(root, "", "a profile is a mapping of keys (name, description, country, cards)");
            return null;
        }
        Map<String, Node> keys = entries(top, "", Schema.PROFILE_KEYS);
        Map<String, String> values = scalars(keys, "", Schema.PROFILE_KEYS, top);
        String name = values.get("name");
        if (name != null && !name.equals(expectedName) && keys.containsKey("name")) {
            problem(keys.get("name"), "name", "'" + name + "' does not match the file name; the profile in "
                    + expectedName + ".yaml must be named '" + expectedName + "'");
        }
        List<CardSpec> cards = new ArrayList<>();
        Node cardsNode = keys.get("cards");
        if (cardsNode instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty()) {
                problem(seq, "cards", "a profile needs at least one card");
            }
            for (int i = 0; i < seq.getValue().size(); i++) {
                CardSpec card = card(seq.getValue().get(i), "cards[" + i + "]");
                if (card != null) {
                    cards.add(card);
                }
            }
        } else if (cardsNode != null) {
            problem(cardsNode, "cards", "must be a list of cards (each starting with '- id: ...')");
        }
        return new HardwareProfile(name == null ? expectedName : name, values.getOrDefault("description", ""),
                values.getOrDefault("country", "cn"), file, cards, Instant.now());
    }

    /** The entries of a mapping, reporting unknown, duplicate and missing keys. */
    private Map<String, Node> entries(MappingNode map, String where, Map<String, Schema.Key> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String path = where.isEmpty() ? "" : where + ".";
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), where, "keys must be plain words");
                continue;
            }
            String key = k.getValue();
            if (!allowed.containsKey(key)) {
                problem(k, path + key, "unknown key; allowed here: " + String.join(", ", allowed.keySet()));
            } else if (out.containsKey(key)) {
                problem(k, path + key, "given twice");
            } else {
                out.put(key, t.getValueNode());
            }
        }
        for (Schema.Key key : allowed.values()) {
            if (key.required() && !out.containsKey(key.name())) {
                problem(map, where.isEmpty() ? key.name() : where + "." + key.name(), "missing; it is required");
            }
        }
        return out;
    }

    /** The scalar values of the keys that have a check, with defaults, checked. */
    private Map<String, String> scalars(Map<String, Node> entries, String where, Map<String, Schema.Key> allowed, Node owner) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Schema.Key key : allowed.values()) {
            if (key.check() == null) {
                continue;
            }
            Node n = entries.get(key.name());
            String path = where.isEmpty() ? key.name() : where + "." + key.name();
            if (n == null) {
                if (key.defaultValue() != null) {
                    out.put(key.name(), key.defaultValue());
                }
                continue;
            }
            if (!(n instanceof ScalarNode s)) {
                problem(n, path, "must be a single value, not a list or a mapping");
                continue;
            }
            String v = s.getValue().trim();
            String wrong = key.check().problem(v);
            if (wrong != null) {
                problem(n, path, wrong);
            } else {
                out.put(key.name(), v);
            }
        }
        return out;
    }

    private CardSpec card(Node node, String where) {
        if (!(node instanceof MappingNode map)) {
            problem(node, where, "a card is a mapping with at least 'id' and 'driver'");
            return null;
        }
        Node driverNode = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("driver")) {
                driverNode = t.getValueNode();
            }
        }
        if (driverNode == null) {
            problem(map, where + ".driver", "missing; it is required; allowed: " + String.join(", ", Schema.driverNames()));
            return null;
        }
        String driverName = driverNode instanceof ScalarNode s ? s.getValue().trim() : "";
        Schema.Driver driver = Schema.DRIVERS.get(driverName);
        if (driver == null) {
            problem(driverNode, where + ".driver", "'" + driverName + "' is not allowed; allowed: "
                    + String.join(", ", Schema.driverNames()));
            return null;
        }
        Map<String, Schema.Key> allowed = new LinkedHashMap<>(driver.cardKeys());
        if (driver.units() != Schema.Units.NONE) {
            allowed.put(driver.units().key, new Schema.Key(driver.units().key, true, null, null));
        }
        Map<String, Node> keys = entries(map, where, allowed);
        Map<String, String> settings = scalars(keys, where, driver.cardKeys(), map);
        String id = settings.get("id");
        if (id != null) {
            claimId(id, keys.get("id"), where + ".id");
        }
        settings.remove("driver");
        List<UnitSpec> units = new ArrayList<>();
        if (driver.units() != Schema.Units.NONE) {
            Node list = keys.get(driver.units().key);
            String listWhere = where + "." + driver.units().key;
            if (list instanceof SequenceNode seq) {
                if (seq.getValue().isEmpty()) {
                    problem(seq, listWhere, "a " + driverName + " card needs at least one entry");
                }
                for (int i = 0; i < seq.getValue().size(); i++) {
                    UnitSpec u = unit(seq.getValue().get(i), listWhere + "[" + i + "]", driver);
                    if (u != null) {
                        units.add(u);
                    }
                }
            } else if (list != null) {
                problem(list, listWhere, "must be a list (each entry starting with '- id: ...')");
            }
        }
        return new CardSpec(id == null ? "" : id, driverName, settings,
                driver.units() == Schema.Units.LINES ? units : List.of(),
                driver.units() == Schema.Units.SPANS ? units : List.of());
    }

    private UnitSpec unit(Node node, String where, Schema.Driver driver) {
        if (!(node instanceof MappingNode map)) {
            problem(node, where, "an entry is a mapping with at least 'id'");
            return null;
        }
        Map<String, Node> keys = entries(map, where, driver.unitKeys());
        Map<String, String> settings = scalars(keys, where, driver.unitKeys(), map);
        String id = settings.get("id");
        if (id != null) {
            claimId(id, keys.get("id"), where + ".id");
        }
        for (String portKey : List.of("port", "audio-port")) {
            String port = settings.get(portKey);
            if (port != null && !port.equals("none") && !port.equals("sim")) {
                String before = ports.putIfAbsent(port, where + "." + portKey);
                if (before != null) {
                    problem(keys.get(portKey), where + "." + portKey, "port " + port + " is already used by " + before);
                }
            }
        }
        if (driver.units() == Schema.Units.SPANS) {
            span(settings, keys, where, map);
        }
        return id == null ? null : new UnitSpec(id, settings);
    }

    private void claimId(String id, Node node, String where) {
        String before = ids.putIfAbsent(id, where);
        if (before != null) {
            problem(node, where, "id '" + id + "' is already used by " + before + "; ids must be unique in the profile");
        }
    }

    /** The rules that tie a span's settings together, and its defaults by type. */
    private void span(Map<String, String> s, Map<String, Node> keys, String where, Node owner) {
        String type = s.get("type");
        String sig = s.get("signalling");
        if (type == null || sig == null) {
            return;
        }
        boolean e1 = type.equals("e1");
        boolean pri = sig.startsWith("pri");
        Node at = keys.getOrDefault("type", owner);
        if (!e1 && !pri) {
            problem(keys.get("signalling"), where + ".signalling", "'" + sig + "' is not allowed on a t1 span; allowed: pri-cpe, pri-net");
            return;
        }
        defaultOr(s, "framing", e1 ? (pri ? "ccs" : "cas") : "esf");
        defaultOr(s, "coding", e1 ? "hdb3" : "b8zs");
        defaultOr(s, "law", e1 ? "alaw" : "ulaw");
        expect(s, keys, where, "framing", e1 ? (pri ? List.of("ccs") : List.of("cas")) : List.of("d4", "esf"),
                "on a" + (e1 ? "n e1 " : " t1 ") + sig + " span");
        expect(s, keys, where, "coding", e1 ? List.of("hdb3", "ami") : List.of("b8zs", "ami"), "on a" + (e1 ? "n e1" : " t1") + " span");
        if (e1) {
            defaultOr(s, "crc4", "yes");
        } else if (keys.containsKey("crc4")) {
            problem(keys.get("crc4"), where + ".crc4", "crc4 applies to e1 spans only; remove it");
        }
        int last = e1 ? 31 : 24;
        if (pri) {
            defaultOr(s, "dchannel", e1 ? "16" : "24");
            defaultOr(s, "switchtype", e1 ? "euroisdn" : "ni2");
            expect(s, keys, where, "dchannel", List.of(e1 ? "16" : "24"), "on a" + (e1 ? "n e1" : " t1") + " PRI span");
            if (keys.containsKey("dnis-digits")) {
                problem(keys.get("dnis-digits"), where + ".dnis-digits", "dnis-digits applies to R2 spans only; PRI sends the whole number");
            }
        } else {
            defaultOr(s, "dnis-digits", "4");
            for (String k : List.of("dchannel", "switchtype")) {
                if (keys.containsKey(k)) {
                    problem(keys.get(k), where + "." + k, k + " applies to PRI spans only; remove it for " + sig);
                }
            }
        }
        String defaultChannels = e1 ? "1-15,17-31" : "1-23";
        defaultOr(s, "channels", defaultChannels);
        Set<Integer> channels = Schema.parseChannels(s.get("channels"));
        if (channels != null) {
            Node n = keys.getOrDefault("channels", owner);
            if (channels.stream().anyMatch(c -> c > last)) {
                problem(n, where + ".channels", "'" + s.get("channels") + "' goes beyond channel " + last + " of a " + type
                        + " span; allowed: 1 to " + last);
            }
            if (pri && channels.contains(Integer.parseInt(s.get("dchannel")))) {
                problem(n, where + ".channels", "'" + s.get("channels") + "' includes the D-channel " + s.get("dchannel")
                        + "; use " + defaultChannels);
            }
            if (e1 && !pri && channels.contains(16)) {
                problem(n, where + ".channels", "'" + s.get("channels") + "' includes timeslot 16, which carries the R2 "
                        + "line signalling (CAS); use " + defaultChannels);
            }
        }
        String span = s.get("span");
        if (span != null) {
            String before = dahdiSpans.putIfAbsent(span, where + ".span");
            if (before != null) {
                problem(keys.get("span"), where + ".span", "DAHDI span " + span + " is already used by " + before);
            }
        }
    }

    private static void defaultOr(Map<String, String> s, String key, String value) {
        s.putIfAbsent(key, value);
    }

    private void expect(Map<String, String> s, Map<String, Node> keys, String where, String key, List<String> allowed, String context) {
        String v = s.get(key);
        if (v != null && !allowed.contains(v)) {
            problem(keys.get(key), where + "." + key, "'" + v + "' is not allowed " + context + "; allowed: " + String.join(", ", allowed));
        }
    }
}
