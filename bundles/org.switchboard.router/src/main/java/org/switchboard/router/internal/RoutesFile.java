package org.switchboard.router.internal;

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

import org.switchboard.config.YamlFile;
import org.switchboard.core.route.Destination;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
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

    /** A table, or what keeps the file from being one. */
    record Result(RouteTable table, List<YamlFile.Problem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final YamlFile y;

    private RoutesFile(YamlFile y) {
        this.y = y;
    }

    static Result read(Path path) {
        return new RoutesFile(YamlFile.read(path, MAX_BYTES)).check(path);
    }

    static Result parse(String text, String shownAs) {
        return new RoutesFile(YamlFile.parse(text, shownAs)).check(Path.of(shownAs));
    }

    private Result check(Path source) {
        MappingNode top = y.top("a routes file is a mapping with at least 'routes' (and timezone, schedules, holidays, workdays, lists, fallback)");
        if (top == null) {
            return new Result(null, y.problems());
        }
        Map<String, Node> keys = y.mapping(top, "", TOP);
        ZoneId zone = ZoneId.systemDefault();
        if (keys.containsKey("timezone")) {
            String z = y.scalar(keys.get("timezone"), "timezone");
            try {
                zone = z == null ? zone : ZoneId.of(z);
            } catch (DateTimeException e) {
                y.problem(keys.get("timezone"), "timezone", "'" + z + "' is not a time zone; allowed: a region such as Asia/Shanghai or Europe/Berlin");
            }
        }
        Map<String, WeekSchedule> schedules = new LinkedHashMap<>();
        if (keys.containsKey("schedules")) {
            for (Map.Entry<ScalarNode, Node> t : y.entries(keys.get("schedules"), "schedules", "must map schedule names to their hours").entrySet()) {
                String name = t.getKey().getValue();
                if (name.equals(RouteTable.When.HOLIDAY) || !name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                    y.problem(t.getKey(), "schedules." + name, "allowed names: 1-32 of a-z 0-9 - _ (and not 'holiday')");
                    continue;
                }
                WeekSchedule s = new WeekSchedule(name);
                for (Map.Entry<ScalarNode, Node> d : y.entries(t.getValue(), "schedules." + name,
                        "a schedule maps days to hours, e.g.  mon-fri: 09:00-18:00").entrySet()) {
                    String day = d.getKey().getValue();
                    String hours = y.scalar(d.getValue(), "schedules." + name + "." + day);
                    if (hours == null) {
                        continue;
                    }
                    try {
                        s.add(day, hours);
                    } catch (IllegalArgumentException e) {
                        y.problem(d.getValue(), "schedules." + name + "." + day, e.getMessage());
                    }
                }
                if (schedules.put(name, s) != null) {
                    y.problem(t.getKey(), "schedules." + name, "defined twice");
                }
            }
        }
        Set<LocalDate> holidays = dates(keys.get("holidays"), "holidays");
        Set<LocalDate> workdays = dates(keys.get("workdays"), "workdays");
        for (LocalDate d : workdays) {
            if (holidays.contains(d)) {
                y.problem(keys.get("workdays"), "workdays", d + " is also a holiday");
            }
        }
        Map<String, List<NumberPattern>> lists = new LinkedHashMap<>();
        if (keys.containsKey("lists")) {
            for (Map.Entry<ScalarNode, Node> t : y.entries(keys.get("lists"), "lists", "must map list names to number patterns").entrySet()) {
                lists.put(t.getKey().getValue(), patterns(t.getValue(), "lists." + t.getKey().getValue()));
            }
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
            y.problem(keys.getOrDefault("routes", top), "routes", keys.containsKey("routes")
                    ? "must be a list of routes (each starting with '- name: ...')" : "missing; the file needs a list of routes");
        }
        Destination fallback = keys.containsKey("fallback") ? destination(keys.get("fallback"), "fallback") : null;
        RouteTable table = new RouteTable(source, zone, schedules, holidays, workdays, lists, routes,
                fallback == null ? new Destination("reject", "") : fallback);
        return new Result(y.ok() ? table : null, y.problems());
    }

    private RouteTable.Route route(Node n, String where, Set<String> schedules, Set<String> lists, Set<String> names) {
        if (!(n instanceof MappingNode m)) {
            y.problem(n, where, "a route is a mapping: name, [line, trunk, did, from, when], to");
            return null;
        }
        Map<String, Node> k = y.mapping(m, where, ROUTE);
        String name = k.containsKey("name") ? y.scalar(k.get("name"), where + ".name") : null;
        if (name == null) {
            y.problem(n, where + ".name", "missing; every route has a name (shown by router:test)");
        } else if (!names.add(name)) {
            y.problem(n, where + ".name", "'" + name + "' is used by another route");
        }
        Destination to = null;
        if (!k.containsKey("to")) {
            y.problem(n, where + ".to", "missing; where do the calls go? e.g. to: ivr:main");
        } else {
            to = destination(k.get("to"), where + ".to");
        }
        List<String> lines = k.containsKey("line") ? y.strings(k.get("line"), where + ".line") : List.of();
        List<String> trunks = k.containsKey("trunk") ? y.strings(k.get("trunk"), where + ".trunk") : List.of();
        List<NumberPattern> dids = k.containsKey("did") ? patterns(k.get("did"), where + ".did") : List.of();
        RouteTable.From from = k.containsKey("from") ? from(k.get("from"), where + ".from", lists) : null;
        RouteTable.When when = null;
        if (k.containsKey("when")) {
            String w = y.scalar(k.get("when"), where + ".when");
            if (w != null) {
                boolean not = w.startsWith("not ");
                String s = not ? w.substring(4).trim() : w.trim();
                if (!s.equals(RouteTable.When.HOLIDAY) && !schedules.contains(s)) {
                    y.problem(k.get("when"), where + ".when", "no schedule '" + s + "'; allowed: "
                            + (schedules.isEmpty() ? "" : String.join(", ", schedules) + ", ") + "holiday, each optionally after 'not '");
                }
                when = new RouteTable.When(s, not);
            }
        }
        if (name == null || to == null) {
            return null;
        }
        return new RouteTable.Route(name, YamlFile.line(n), lines, trunks, dids, from, when, to);
    }

    private RouteTable.From from(Node n, String where, Set<String> lists) {
        if (n instanceof ScalarNode s) {
            String v = s.getValue().trim();
            boolean not = v.startsWith("not ");
            String body = not ? v.substring(4).trim() : v;
            if (body.startsWith("list:")) {
                String list = body.substring(5);
                if (!lists.contains(list)) {
                    y.problem(n, where, "no list '" + list + "'; lists: " + (lists.isEmpty() ? "none" : String.join(", ", lists)));
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
        String v = y.scalar(n, where);
        if (v == null) {
            return null;
        }
        try {
            return Destination.parse(v);
        } catch (IllegalArgumentException e) {
            y.problem(n, where, e.getMessage());
            return null;
        }
    }

    private List<NumberPattern> patterns(Node n, String where) {
        List<NumberPattern> out = new ArrayList<>();
        for (String s : y.strings(n, where)) {
            try {
                out.add(NumberPattern.of(s));
            } catch (IllegalArgumentException e) {
                y.problem(n, where, e.getMessage());
            }
        }
        return out;
    }

    private Set<LocalDate> dates(Node n, String where) {
        Set<LocalDate> out = new HashSet<>();
        if (n == null) {
            return out;
        }
        for (String s : y.strings(n, where)) {
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
                y.problem(n, where, "'" + s + "' is not a date; allowed: YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD of at most a year");
            }
        }
        return out;
    }
}
