package org.switchboard.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * A hand-edited YAML file and the problems found in it. Reading never throws: a file that is
 * missing, too large, not UTF-8 or not YAML becomes a problem with its position, and the checks
 * of the caller add theirs, so a technician sees every problem at once.
 */
public final class YamlFile {

    /** One thing wrong: {@code file:line:column: key: message}. Line 0 when the file itself is the problem. */
    public record Problem(String file, int line, int column, String where, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + (where.isEmpty() ? "" : where + ": ") + message;
        }
    }

    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private Node root;

    private YamlFile(String file) {
        this.file = file;
    }

    /** Reads and parses a file of at most {@code maxBytes}. */
    public static YamlFile read(Path path, long maxBytes) {
        YamlFile y = new YamlFile(path.toString());
        try {
            if (Files.size(path) > maxBytes) {
                y.problem(1, 1, "", "the file is larger than " + maxBytes / 1024 + " KiB");
                return y;
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
            y.compose(text, maxBytes);
        } catch (NoSuchFileException e) {
            y.problem(0, 0, "", "no such file");
        } catch (CharacterCodingException e) {
            y.problem(1, 1, "", "the file is not UTF-8 text");
        } catch (IOException e) {
            y.problem(0, 0, "", "cannot read it: " + e.getMessage());
        }
        return y;
    }

    /** Parses text, naming it {@code shownAs} in problems. */
    public static YamlFile parse(String text, String shownAs) {
        YamlFile y = new YamlFile(shownAs);
        y.compose(text, Math.max(text.length() * 4L, 1024));
        return y;
    }

    private void compose(String text, long maxBytes) {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(10);
        o.setAllowDuplicateKeys(true);
        o.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes));
        try {
            root = new Yaml(o).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problem(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
                    "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
        } catch (YAMLException e) {
            problem(1, 1, "", "not valid YAML: " + e.getMessage());
        }
    }

    /** The file's name as problems show it. */
    public String file() {
        return file;
    }

    /**
     * The top-level mapping, or null (with a problem saying {@code whatItIs}) when the file is
     * empty, unreadable or something else.
     */
    public MappingNode top(String whatItIs) {
        if (root instanceof MappingNode m) {
            return m;
        }
        if (problems.isEmpty()) {
            problem(1, 1, "", root == null ? "the file is empty; " + whatItIs : whatItIs);
        }
        return null;
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public void problem(Node n, String where, String message) {
        Mark m = n.getStartMark();
        problem(m.getLine() + 1, m.getColumn() + 1, where, message);
    }

    public void problem(int line, int column, String where, String message) {
        problems.add(new Problem(file, line, column, where, message));
    }

    /** The line (1-based) a value starts on. */
    public static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    /** The entries of a mapping by key, reporting unknown and repeated keys. */
    public Map<String, Node> mapping(MappingNode m, String where, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String at = key == null ? where : where.isEmpty() ? key : where + "." + key;
            if (key == null || !allowed.contains(key)) {
                problem(t.getKeyNode(), at, "unknown key; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
            } else if (out.put(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), at, "given twice");
            }
        }
        return out;
    }

    /** The key/value pairs of a mapping with free keys (names), in file order; reports a non-mapping. */
    public Map<ScalarNode, Node> entries(Node n, String where, String whatItIs) {
        Map<ScalarNode, Node> out = new LinkedHashMap<>();
        if (!(n instanceof MappingNode m)) {
            problem(n, where, whatItIs);
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                out.put(k, t.getValueNode());
            } else {
                problem(t.getKeyNode(), where, "a key must be a single value");
            }
        }
        return out;
    }

    /** A single value; null (with a problem) for a mapping or a list. */
    public String scalar(Node n, String where) {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(n, where, "must be a single value, not a " + (n instanceof MappingNode ? "mapping" : "list"));
        return null;
    }

    /** A whole number within bounds; {@code fallback} (with a problem) otherwise. */
    public int integer(Node n, String where, int min, int max, int fallback) {
        String v = scalar(n, where);
        try {
            int i = Integer.parseInt(v == null ? "" : v.trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (v != null) {
            problem(n, where, "'" + v + "' is not allowed; allowed: a whole number from " + min + " to " + max);
        }
        return fallback;
    }

    /** yes/no, true/false, on/off. */
    public boolean bool(Node n, String where, boolean fallback) {
        String v = scalar(n, where);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase()) {
            case "yes", "true", "on" -> {
                return true;
            }
            case "no", "false", "off" -> {
                return false;
            }
            default -> {
                problem(n, where, "'" + v + "' is not allowed; allowed: yes or no");
                return fallback;
            }
        }
    }

    /** A value, a comma-separated value, or a list of values. */
    public List<String> strings(Node n, String where) {
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode s) {
            for (String part : s.getValue().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                String v = scalar(item, where);
                if (v != null) {
                    out.add(v.trim());
                }
            }
        } else {
            problem(n, where, "must be a value or a list of values");
        }
        return out;
    }
}
