package org.switchboard.router.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.switchboard.core.route.Destination;
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
 * Reads and checks a routes file ({@code etc/switchboard-routes.yaml}, format in docs/routing.md).
 * Every problem is reported with file, line, column and key; only a file without problems becomes
 * a {@link RouteTable}.
 */
final class RoutesFile {

    static final long MAX_BYTES = 512 * 1024;
    static final Set<String> TOP = Set.of("timezone", "schedules", "holidays", "workdays", "lists", "routes", "fallback");
    static final Set<String> ROUTE = Set.of("name", "line", "trunk", "did", "from", "when", "to");

    /** One thing wrong in the file. */
    record Problem(String file, int line, int column, String where, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + (where.isEmpty() ? "" : where + ": ") + message;
        }
    }

    /** A table, or what keeps the file from being one. */
    record Result(RouteTable table, List<Problem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private RoutesFile(String file) {
        this.file = file;
    }

    static Result read(Path path) {
        RoutesFile f = new RoutesFile(path.toString());
        try {
            if (Files.size(path) > MAX_BYTES) {
                f.problem(1, 1, "", "the file is larger than " + MAX_BYTES / 1024 + " KiB");
                return new Result(null, f.problems);
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
            return f.parse(text, path);
        } catch (NoSuchFileException e) {
            f.problem(0, 0, "", "no such file");
        } catch (CharacterCodingException e) {
            f.problem(1, 1, "", "the file is not UTF-8 text");
        } catch (IOException e) {
            f.problem(0, 0, "", "cannot read it: " + e.getMessage());
        }
        return new Result(null, f.problems);
    }

    static Result parse(String text, String shownAs) {
        return new RoutesFile(shownAs).parse(text, Path.of(shownAs));
    }

    private Result parse(String text, Path source) {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(10);
        o.setAllowDuplicateKeys(true);
        o.setCodePointLimit((int) MAX_BYTES);
        Node root;
        try {
            root = new Yaml(o).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problem(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
                    "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
            return new Result(null, List.copyOf(problems));
        } catch (YAMLException e) {
            problem(1, 1, "", "not valid YAML: " + e.getMessage());
            return new Result(null, List.copyOf(problems));
        }
        if (!(root instanceof MappingNode top)) {
            problem(1, 1, "", "a routes file is a mapping with at least 'routes' (and timezone, schedules, holidays, workdays, lists, fallback)");
            return new Result(null, List.copyOf(problems));
        }
        Map<String, Node> keys = mapping(top, "", TOP);
        ZoneId zone = ZoneId.systemDefault();
        if (keys.containsKey("timezone")) {
            String z = scalar(keys.get("timezone"), "timezone");
            try {
                zone = z == null ? zone : ZoneId.of(z);
            } catch (DateTimeException e) {
                problem(keys.get("timezone"), "timezone", "'" + z + "' is not a time zone; allowed: a region such as Asia/Shanghai or Europe/Berlin");
            }
        }
        Map<String, WeekSchedule> schedules = new LinkedHashMap<>();
        if (keys.get("schedules") instanceof MappingNode sm) {
            for (NodeTuple t : sm.getValue()) {
                String name = scalar(t.getKeyNode(), "schedules");
                if (name == null) {
                    continue;
                }
                if (name.equals(RouteTable.When.HOLIDAY) || !name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                    problem(t.getKeyNode(), "schedules." + name, "allowed names: 1-32 of a-z 0-9 - _ (and not 'holiday')");
                    continue;
                }
                WeekSchedule s = new WeekSchedule(name);
                if (t.getValueNode() instanceof MappingNode days) {
                    for (NodeTuple d : days.getValue()) {
                        String day = scalar(d.getKeyNode(), "schedules." + name);
                        String hours = scalar(d.getValueNode(), "schedules." + name + "." + day);
                        if (day == null || hours == null) {
                            continue;
                        }
                        try {
                            s.add(day, hours);
                        } catch (IllegalArgumentException e) {
                            problem(d.getValueNode(), "schedules." + name + "." + day, e.getMessage());
                        }
                    }
                } else {
                    problem(t.getValueNode(), "schedules." + name, "a schedule maps days to hours, e.g.  mon-fri: 09:00-18:00");
                }
                if (schedules.put(name, s) != null) {
                    problem(t.getKeyNode(), "schedules." + name, "defined twice");
                }
            }
        } else if (keys.containsKey("schedules")) {
            problem(keys.get("schedules"), "schedules", "must map schedule names to their hours");
        }
        Set<LocalDate> holidays = dates(keys.get("holidays"), "holidays");
        Set<LocalDate> workdays = dates(keys.get("workdays"), "workdays");
        for (LocalDate d : workdays) {
            if (holidays.contains(d)) {
                problem(keys.get("workdays"), "workdays", d + " is also a holiday");
            }
        }
        Map<String, List<NumberPattern>> lists = new LinkedHashMap<>();
        if (keys.get("lists") instanceof MappingNode lm) {
            for (NodeTuple t : lm.getValue()) {
                String name = scalar(t.getKeyNode(), "lists");
                if (name != null) {
                    lists.put(name, patterns(t.getValueNode(), "lists." + name));
                }
            }
        } else if (keys.containsKey("lists")) {
            problem(keys.get("lists"), "lists", "must map list names to number patterns");
        }
        List<RouteTable.Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (keys.get("routes") instanceof SequenceNode rs) {
            for (int i = 0; i < rs.getValue().size(); i++) {
                RouteTable.Route r = route(rs.getValue().get(i), "routes[" + i + "]", schedules.keySet(), lists.keySet(), names);
                if (r != null) {
                    routes.add(r);
                }
            }
        } else {
            problem(keys.getOrDefault("routes", top), "routes", keys.containsKey("routes")
                    ? "must be a list of routes (each starting with '- name: ...')" : "missing; the file needs a list of routes");
        }
        Destination fallback = new Destination("reject", "");
        if (keys.containsKey("fallback")) {
            fallback = destination(keys.get("fallback"), "fallback");
        }
        RouteTable table = new RouteTable(source, zone, schedules, holidays, workdays, lists, routes,
                fallback == null ? new Destination("reject", "") : fallback);
        return new Result(problems.isEmpty() ? table : null, List.copyOf(problems));
    }

    private RouteTable.Route route(Node n, String where, Set<String> schedules, Set<String> lists, Set<String> names) {
        if (!(n instanceof MappingNode m)) {
            problem(n, where, "a route is a mapping: name, [line, trunk, did, from, when], to");
            return null;
        }
        Map<String, Node> k = mapping(m, where, ROUTE);
        String name = k.containsKey("name") ? scalar(k.get("name"), where + ".name") : null;
        if (name == null) {
            problem(n, where + ".name", "missing; every route has a name (shown by router:test)");
        } else if (!names.add(name)) {
            problem(n, where + ".name", "'" + name + "' is used by another route");
        }
        Destination to = null;
        if (!k.containsKey("to")) {
            problem(n, where + ".to", "missing; where do the calls go? e.g. to: ivr:main");
        } else {
            to = destination(k.get("to"), where + ".to");
        }
        List<String> lines = k.containsKey("line") ? strings(k.get("line"), where + ".line") : List.of();
        List<String> trunks = k.containsKey("trunk") ? strings(k.get("trunk"), where + ".trunk") : List.of();
        List<NumberPattern> dids = k.containsKey("did") ? patterns(k.get("did"), where + ".did") : List.of();
        RouteTable.From from = null;
        if (k.containsKey("from")) {
            from = from(k.get("from"), where + ".from", lists);
        }
        RouteTable.When when = null;
        if (k.containsKey("when")) {
            String w = scalar(k.get("when"), where + ".when");
            if (w != null) {
                boolean not = w.startsWith("not ");
                String s = not ? w.substring(4).trim() : w.trim();
                if (!s.equals(RouteTable.When.HOLIDAY) && !schedules.contains(s)) {
                    problem(k.get("when"), where + ".when", "no schedule '" + s + "'; allowed: "
                            + (schedules.isEmpty() ? "" : String.join(", ", schedules) + ", ") + "holiday, each optionally after 'not '");
                }
                when = new RouteTable.When(s, not);
            }
        }
        if (name == null || to == null) {
            return null;
        }
        return new RouteTable.Route(name, n.getStartMark().getLine() + 1, lines, trunks, dids, from, when, to);
    }

    private RouteTable.From from(Node n, String where, Set<String> lists) {
        if (n instanceof ScalarNode s) {
            String v = s.getValue().trim();
            boolean not = v.startsWith("not ");
            String body = not ? v.substring(4).trim() : v;
            if (body.startsWith("list:")) {
                String list = body.substring(5);
                if (!lists.contains(list)) {
                    problem(n, where, "no list '" + list + "'; lists: " + (lists.isEmpty() ? "none" : String.join(", ", lists)));
                }
                return new RouteTable.From(List.of(), list, false, false, not);
            }
            if (body.equals("withheld") || body.equals("unknown")) {
                return new RouteTable.From(List.of(), null, body.equals("withheld"), body.equals("unknown"), not);
            }
            return new RouteTable.From(patterns(new ScalarNode(s.getTag(), body, s.getStartMark(), s.getEndMark(), s.getScalarStyle()), where),
                    null, false, false, not);
        }
        return new RouteTable.From(patterns(n, where), null, false, false, false);
    }

    private Destination destination(Node n, String where) {
        String v = scalar(n, where);
        if (v == null) {
            return null;
        }
        try {
            return Destination.parse(v);
        } catch (IllegalArgumentException e) {
            problem(n, where, e.getMessage());
            return null;
        }
    }

    private List<NumberPattern> patterns(Node n, String where) {
        List<NumberPattern> out = new ArrayList<>();
        for (String s : strings(n, where)) {
            try {
                out.add(NumberPattern.of(s));
            } catch (IllegalArgumentException e) {
                problem(n, where, e.getMessage());
            }
        }
        return out;
    }

    private Set<LocalDate> dates(Node n, String where) {
        Set<LocalDate> out = new HashSet<>();
        if (n == null) {
            return out;
        }
        for (String s : strings(n, where)) {
            try {
                String[] ends = s.split("\\.\\.");
                LocalDate a = LocalDate.parse(ends[0].trim());
                LocalDate b = ends.length == 2 ? LocalDate.parse(ends[1].trim()) : a;
                if (ends.length > 2 || b.isBefore(a) || a.plusDays(366).isBefore(b)) {
                    throw new DateTimeParseException("range", s, 0);
                }
                for (LocalDate d = a; !d.isAfter(b); d = d.plusDays(1)) {
                    out.add(d);
                }
            } catch (DateTimeParseException e) {
                problem(n, where, "'" + s + "' is not a date; allowed: YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD of at most a year");
            }
        }
        return out;
    }

    private List<String> strings(Node n, String where) {
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

    private String scalar(Node n, String where) {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(n, where, "must be a single value, not a " + (n instanceof MappingNode ? "mapping" : "list"));
        return null;
    }

    private Map<String, Node> mapping(MappingNode m, String where, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String at = where.isEmpty() ? key : where + "." + key;
            if (key == null || !allowed.contains(key)) {
                problem(t.getKeyNode(), at == null ? where : at, "unknown key; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
            } else if (out.put(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), at, "given twice");
            }
        }
        return out;
    }

    private void problem(Node n, String where, String message) {
        Mark m = n.getStartMark();
        problem(m.getLine() + 1, m.getColumn() + 1, where, message);
    }

    private void problem(int line, int column, String where, String message) {
        problems.add(new Problem(file, line, column, where, message));
    }
}
