package org.switchboard.ivr.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.switchboard.config.YamlFile;
import org.switchboard.core.route.Destination;
import org.switchboard.media.wav.WavException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads and checks one menu file ({@code etc/ivr/NAME.yaml}, format in docs/ivr.md): keys,
 * nodes, options, actions, that every prompt exists in every language of the menu (and is a
 * readable 8 kHz WAV), that other menus named exist, and that nodes do not run in a circle
 * without waiting for the caller. Every problem has file, line, column and key.
 */
final class MenuFile {

    static final long MAX_BYTES = 256 * 1024;
    static final Set<String> TOP = Set.of("description", "language", "languages", "start", "nodes");
    static final Set<String> NODE = Set.of("prompts", "timeout", "inter-digit", "retries", "invalid", "no-input", "failed",
            "barge-in", "direct-dial", "options", "then", "collect", "results");
    static final Set<String> COLLECT = Set.of("min", "max", "terminator", "action");

    record Result(Menu menu, List<YamlFile.Problem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final YamlFile y;
    private final PromptStore prompts;
    private final Set<String> menus;

    private MenuFile(YamlFile y, PromptStore prompts, Set<String> menus) {
        this.y = y;
        this.prompts = prompts;
        this.menus = menus;
    }

    /**
     * @param menus the names of every menu there is (for ivr:NAME actions)
     */
    static Result read(Path file, PromptStore prompts, Set<String> menus) {
        return new MenuFile(YamlFile.read(file, MAX_BYTES), prompts, menus).check(file);
    }

    static Result parse(String text, String shownAs, PromptStore prompts, Set<String> menus) {
        return new MenuFile(YamlFile.parse(text, shownAs), prompts, menus).check(Path.of(shownAs));
    }

    static String nameOf(Path file) {
        String f = file.getFileName().toString();
        return f.endsWith(".yaml") ? f.substring(0, f.length() - 5) : f;
    }

    private Result check(Path file) {
        MappingNode top = y.top("a menu file is a mapping: language, languages, start, nodes");
        if (top == null) {
            return new Result(null, y.problems());
        }
        String name = nameOf(file);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            y.problem(1, 1, "", "the file name '" + name + "' cannot be a menu name; allowed: letters, digits, - _ .");
        }
        Map<String, Node> k = y.mapping(top, "", TOP);
        String language = k.containsKey("language") ? y.scalar(k.get("language"), "language") : "zh";
        List<String> languages = k.containsKey("languages") ? y.strings(k.get("languages"), "languages") : List.of(language == null ? "zh" : language);
        for (String l : languages) {
            if (!l.matches("[a-z]{2,3}")) {
                y.problem(k.get("languages"), "languages", "'" + l + "' is not a language; allowed: codes like zh, en");
            }
        }
        if (language != null && !languages.contains(language)) {
            y.problem(k.getOrDefault("language", top), "language", "'" + language + "' is not one of languages " + languages);
        }
        Map<String, Menu.Node> nodes = new LinkedHashMap<>();
        Map<String, Node> nodeAt = new LinkedHashMap<>();
        Map<String, List<Object[]>> refs = new LinkedHashMap<>();
        if (!k.containsKey("nodes")) {
            y.problem(top, "nodes", "missing; a menu needs at least one node");
        } else {
            for (Map.Entry<ScalarNode, Node> e : y.entries(k.get("nodes"), "nodes", "must map node names to nodes").entrySet()) {
                String n = e.getKey().getValue();
                nodeAt.put(n, e.getKey());
                Menu.Node node = node(n, e.getValue(), "nodes." + n, languages, refs);
                if (node != null) {
                    nodes.put(n, node);
                }
            }
        }
        String start = k.containsKey("start") ? y.scalar(k.get("start"), "start") : nodes.keySet().stream().findFirst().orElse(null);
        if (start != null && !nodeAt.containsKey(start)) {
            y.problem(k.getOrDefault("start", top), "start", "no node '" + start + "'; nodes: " + String.join(", ", nodeAt.keySet()));
        }
        for (Map.Entry<String, List<Object[]>> e : refs.entrySet()) {
            for (Object[] r : e.getValue()) {
                if (!nodeAt.containsKey((String) r[0])) {
                    y.problem((Node) r[1], (String) r[2], "no node '" + r[0] + "'; nodes: " + String.join(", ", nodeAt.keySet()));
                }
            }
        }
        loops(nodes, nodeAt);
        Menu menu = new Menu(name, file, Instant.now(), language, languages, start, nodes);
        return new Result(y.ok() ? menu : null, y.problems());
    }

    private Menu.Node node(String name, Node n, String where, List<String> languages, Map<String, List<Object[]>> refs) {
        if (!(n instanceof MappingNode m)) {
            y.problem(n, where, "a node is a mapping: prompts, options or then, ...");
            return null;
        }
        Map<String, Node> k = y.mapping(m, where, NODE);
        List<String> ps = k.containsKey("prompts") ? y.strings(k.get("prompts"), where + ".prompts") : List.of();
        for (String p : ps) {
            checkPrompt(p, k.get("prompts"), where + ".prompts", languages);
        }
        int timeout = k.containsKey("timeout") ? y.integer(k.get("timeout"), where + ".timeout", 1, 60, 5) : 5;
        int inter = k.containsKey("inter-digit") ? y.integer(k.get("inter-digit"), where + ".inter-digit", 1, 30, 3) : 3;
        int retries = k.containsKey("retries") ? y.integer(k.get("retries"), where + ".retries", 1, 10, 3) : 3;
        String invalid = k.containsKey("invalid") ? y.scalar(k.get("invalid"), where + ".invalid") : "invalid";
        String noInput = k.containsKey("no-input") ? y.scalar(k.get("no-input"), where + ".no-input") : "timeout";
        boolean bargeIn = !k.containsKey("barge-in") || y.bool(k.get("barge-in"), where + ".barge-in", true);
        int directDial = k.containsKey("direct-dial") ? y.integer(k.get("direct-dial"), where + ".direct-dial", 0, 8, 0) : 0;
        Map<Character, Menu.Action> options = new LinkedHashMap<>();
        if (k.containsKey("options")) {
            for (Map.Entry<ScalarNode, Node> e : y.entries(k.get("options"), where + ".options", "must map keys to actions, e.g. \"1\": queue:sales").entrySet()) {
                String key = e.getKey().getValue();
                if (key.length() != 1 || "0123456789*#".indexOf(key.charAt(0)) < 0) {
                    y.problem(e.getKey(), where + ".options." + key, "'" + key + "' is not a key; allowed: one of 0-9 * # (quote them: \"1\", \"*\")");
                    continue;
                }
                Menu.Action a = action(e.getValue(), where + ".options." + key, languages, refs, name);
                if (a != null) {
                    options.put(key.charAt(0), a);
                }
            }
        }
        Menu.Action failed = k.containsKey("failed") ? action(k.get("failed"), where + ".failed", languages, refs, name)
                : new Menu.Action(Menu.Action.Kind.HANGUP, "", null);
        Menu.Action then = k.containsKey("then") ? action(k.get("then"), where + ".then", languages, refs, name) : null;
        Menu.Collect collect = null;
        Map<String, Menu.Action> results = new LinkedHashMap<>();
        if (k.containsKey("collect")) {
            if (!(k.get("collect") instanceof MappingNode cm)) {
                y.problem(k.get("collect"), where + ".collect", "a mapping: min, max, terminator, action");
            } else {
                Map<String, Node> ck = y.mapping(cm, where + ".collect", COLLECT);
                int max = ck.containsKey("max") ? y.integer(ck.get("max"), where + ".collect.max", 1, 32, 8) : 8;
                int min = ck.containsKey("min") ? y.integer(ck.get("min"), where + ".collect.min", 1, max, 1) : 1;
                String term = ck.containsKey("terminator") ? y.scalar(ck.get("terminator"), where + ".collect.terminator") : "#";
                if (term != null && !term.matches("[*#]?")) {
                    y.problem(ck.get("terminator"), where + ".collect.terminator", "'" + term + "' is not allowed; allowed: #, * or \"\" (none)");
                }
                String act = ck.containsKey("action") ? y.scalar(ck.get("action"), where + ".collect.action") : null;
                if (act == null || !act.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    y.problem(ck.getOrDefault("action", cm), where + ".collect.action", "missing or not a name; the IVR action that takes the digits, e.g. ticket-status");
                }
                collect = new Menu.Collect(min, max, term == null ? "#" : term, act == null ? "" : act);
            }
            if (!options.isEmpty() || directDial > 0) {
                y.problem(k.get("collect"), where + ".collect", "a node collects digits for an action or offers options, not both");
            }
            if (!k.containsKey("results")) {
                y.problem(k.get("collect"), where + ".results", "missing; where each outcome of the action leads, e.g.  results: {ok: hangup, default: repeat}");
            }
        }
        if (k.containsKey("results")) {
            for (Map.Entry<ScalarNode, Node> e : y.entries(k.get("results"), where + ".results", "must map outcomes to actions, e.g. ok: hangup").entrySet()) {
                Menu.Action a = action(e.getValue(), where + ".results." + e.getKey().getValue(), languages, refs, name);
                if (a != null) {
                    results.put(e.getKey().getValue(), a);
                }
            }
            if (collect == null) {
                y.problem(k.get("results"), where + ".results", "results follow a 'collect'");
            }
        }
        boolean collects = !options.isEmpty() || directDial > 0 || collect != null;
        for (String[] p : new String[][] {{invalid, "invalid"}, {noInput, "no-input"}}) {
            if (collects && p[0] != null && !p[0].isEmpty() && !p[0].equals("none")) {
                checkPrompt(p[0], k.getOrDefault(p[1], m), where + "." + p[1] + (k.containsKey(p[1]) ? "" : " (default)"), languages);
            }
        }
        if (collects && then != null) {
            y.problem(k.get("then"), where + ".then", "a node that waits for keys (options, direct-dial) goes on by its keys; 'then' is for nodes without them");
        }
        if (!collects && ps.isEmpty()) {
            y.problem(n, where, "a node needs prompts or options");
        }
        return new Menu.Node(name, YamlFile.line(n), ps, timeout * 1000, inter * 1000, retries, invalid == null || invalid.equals("none") ? "" : invalid,
                noInput == null || noInput.equals("none") ? "" : noInput, failed == null ? new Menu.Action(Menu.Action.Kind.HANGUP, "", null) : failed,
                bargeIn, directDial, options, then, collect, results);
    }

    private Menu.Action action(Node n, String where, List<String> languages, Map<String, List<Object[]>> refs, String from) {
        String v = y.scalar(n, where);
        if (v == null) {
            return null;
        }
        v = v.trim();
        if (v.equals("repeat")) {
            return new Menu.Action(Menu.Action.Kind.REPEAT, "", null);
        }
        if (v.equals("back")) {
            return new Menu.Action(Menu.Action.Kind.BACK, "", null);
        }
        if (v.equals("hangup")) {
            return new Menu.Action(Menu.Action.Kind.HANGUP, "", null);
        }
        if (v.startsWith("node:")) {
            refs.computeIfAbsent(from, x -> new ArrayList<>()).add(new Object[] {v.substring(5), n, where});
            return new Menu.Action(Menu.Action.Kind.NODE, v.substring(5), null);
        }
        if (v.startsWith("language:")) {
            String l = v.substring(9);
            if (!languages.contains(l)) {
                y.problem(n, where, "'" + l + "' is not one of the menu's languages " + languages);
            }
            return new Menu.Action(Menu.Action.Kind.LANGUAGE, l, null);
        }
        try {
            Destination d = Destination.parse(v);
            if (d.type().equals("ivr") && !menus.contains(d.target())) {
                y.problem(n, where, "no menu '" + d.target() + "' (etc/ivr/" + d.target() + ".yaml); menus: " + String.join(", ", menus));
            }
            if (d.type().equals("message")) {
                checkPrompt(d.target(), n, where, languages);
            }
            return new Menu.Action(Menu.Action.Kind.DESTINATION, v, d);
        } catch (IllegalArgumentException e) {
            y.problem(n, where, e.getMessage() + "; or node:NAME, repeat, back, language:LANG, hangup");
            return null;
        }
    }

    private void checkPrompt(String prompt, Node n, String where, List<String> languages) {
        if (!prompt.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            y.problem(n, where, "'" + prompt + "' is not a prompt name; allowed: letters, digits, - _ . (the file etc/prompts/LANG/NAME.wav)");
            return;
        }
        for (String l : languages) {
            try {
                prompts.load(l, prompt);
            } catch (WavException e) {
                y.problem(n, where, "prompt '" + prompt + "' for " + l + ": " + e.getMessage());
            }
        }
    }

    /** Nodes that lead to each other through 'then' alone would play forever without the caller. */
    private void loops(Map<String, Menu.Node> nodes, Map<String, Node> at) {
        Set<String> reported = new HashSet<>();
        for (String start : nodes.keySet()) {
            Set<String> seen = new LinkedHashSet<>();
            String cur = start;
            while (cur != null && nodes.containsKey(cur) && seen.add(cur)) {
                Menu.Action t = nodes.get(cur).then();
                cur = t != null && t.kind() == Menu.Action.Kind.NODE ? t.value() : null;
            }
            if (cur != null && cur.equals(start) && reported.add(String.join(",", new java.util.TreeSet<>(seen)))) {
                y.problem(at.get(start), "nodes." + start, "the nodes " + String.join(" -> ", seen) + " -> " + start
                        + " lead to each other with 'then' alone: the caller would hear them forever; give one of them options");
            }
        }
    }
}
